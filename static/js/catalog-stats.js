// Draws the catalog statistics charts from the JSON the page embeds with json_script.
// The tables next to each chart carry every number, so without this script nothing is lost.
(function () {
  "use strict";
  var source = document.getElementById("catalog-stats-data");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function draw(id, option, minHeight) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    // Shown only now: an empty box would be noise for a reader without JavaScript.
    element.hidden = false;
    if (minHeight && element.clientHeight < minHeight) {
      element.style.height = minHeight + "px";
    }
    var chart = window.echarts.init(element);
    chart.setOption(option);
    charts.push(chart);
  }

  draw("chart-categories", {
    title: { text: data.categories.title, left: "center" },
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    legend: { bottom: 0 },
    series: [
      {
        type: "pie",
        radius: ["35%", "65%"],
        data: data.categories.data,
        label: { formatter: "{b}\n{c}" }
      }
    ]
  });

  draw("chart-departments", {
    title: { text: data.departments.title, left: "center" },
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, bottom: 8, top: 48, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    // Horizontal bars: department names are long.
    yAxis: { type: "category", data: data.departments.names, inverse: true },
    series: [{ type: "bar", name: data.departments.series, data: data.departments.counts }]
  }, 80 + 28 * data.departments.names.length);

  draw("chart-limits", {
    title: { text: data.limits.title, left: "center" },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.limits.labels },
    yAxis: { type: "value" },
    series: [
      {
        type: "bar",
        name: data.limits.series,
        data: data.limits.values,
        barMaxWidth: 80,
        label: { show: true, position: "top" }
      }
    ]
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
