// Draws the performance charts (绩效评估) from the JSON the page carries in a json_script
// element. Each chart has a table with its numbers beside or under it, so without this script
// nothing is lost.
(function () {
  "use strict";
  var BLUE = "#1459a6", GREEN = "#1f7a3a", RED = "#b42318", GREY = "#8a96a3";
  var charts = [];

  function draw(id, option, minHeight) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    element.hidden = false;
    if (minHeight && element.clientHeight < minHeight) {
      element.style.height = minHeight + "px";
    }
    var chart = window.echarts.init(element);
    chart.setOption(option);
    charts.push(chart);
  }

  function percentAxis() {
    return { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } };
  }

  function bars(data, colour, axis) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 44, bottom: 8, top: 8, containLabel: true },
      xAxis: axis,
      yAxis: { type: "category", data: data.names, inverse: true, axisLabel: { width: 140, overflow: "truncate" } },
      series: [{ type: "bar", color: colour, barMaxWidth: 24, data: data.data, label: { show: true, position: "right" } }]
    };
  }

  function drawAll() {
    var source = document.getElementById("perf-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);

    draw("chart-perf-trend", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " %"; } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, bottom: 32, top: 16, containLabel: true },
      xAxis: { type: "category", data: data.trend.months },
      yAxis: percentAxis(),
      color: [BLUE, GREEN],
      series: data.trend.series.map(function (series) {
        return { type: "line", name: series.name, data: series.data, symbolSize: 7, connectNulls: true };
      })
    });

    draw("chart-perf-scores", bars(data.scores, BLUE, { type: "value", min: 0, max: 100 }),
      80 + 28 * data.scores.names.length);
    draw("chart-perf-on-time", bars(data.on_time, GREEN, percentAxis()),
      80 + 28 * data.on_time.names.length);

    // Horizontal bars: the levels' names are long; poor levels (差评) in red.
    draw("chart-perf-ratings", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 44, bottom: 8, top: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.ratings.names, inverse: true },
      series: [{
        type: "bar", barMaxWidth: 22, label: { show: true, position: "right" },
        data: data.ratings.data.map(function (item) {
          return { value: item.value, itemStyle: { color: item.poor ? RED : BLUE } };
        })
      }]
    }, 60 + 30 * data.ratings.names.length);

    draw("chart-perf-complaints", {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      color: [BLUE, "#d9a400", RED, GREEN, GREY],
      series: [{
        type: "pie", radius: ["35%", "62%"], center: ["50%", "45%"], label: { formatter: "{b}: {c}" },
        data: data.complaints.names.map(function (name, index) {
          return { name: name, value: data.complaints.data[index] };
        })
      }]
    });

    draw("chart-perf-treemap", {
      tooltip: { formatter: function (info) { return info.treePathInfo.map(function (p) { return p.name; }).filter(Boolean).join(" / ") + ": " + info.value; } },
      series: [{
        type: "treemap", top: 8, bottom: 8, left: 8, right: 8, roam: false, nodeClick: false,
        breadcrumb: { show: false },
        upperLabel: { show: true, height: 22, formatter: "{b}  {c}" },
        label: { formatter: "{b}\n{c}" },
        // levels[0] is the tree map's own root: no label, no border; then centers, departments.
        levels: [
          { upperLabel: { show: false }, itemStyle: { borderWidth: 0, gapWidth: 0 } },
          { itemStyle: { borderColor: "#fff", borderWidth: 2, gapWidth: 2 },
            color: [BLUE, GREEN, "#7a4fb3", "#b3541e", "#0f7c8c", "#5a6b7d"], colorMappingBy: "index" },
          { itemStyle: { borderColor: "#fff", borderWidth: 1, gapWidth: 1 } }
        ],
        data: data.treemap.data
      }]
    });
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
