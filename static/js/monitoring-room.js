// Draws the monitoring room's charts from the JSON the page carries in a data attribute, and
// draws them again each time htmx puts fresh figures in place (every minute). The tables beside each chart carry
// every number, so without this script nothing is lost.
(function () {
  "use strict";
  var COLOURS = { reminder: "#1459a6", yellow: "#d9a400", red: "#b42318" };
  var charts = [];

  function levels(data) {
    return data.levels.map(function (level) {
      return { key: level.key, name: level.name, colour: COLOURS[level.key] };
    });
  }

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

  function drawAll(animate) {
    var source = document.getElementById("room-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    charts.forEach(function (chart) {
      chart.dispose();
    });
    charts = [];
    var data = JSON.parse(source.getAttribute("data-charts"));
    var shown = levels(data);

    // Horizontal bars: rule and department names are long.
    draw("chart-rules", {
      animation: animate,
      title: { text: data.rules.title, left: "center" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, bottom: 32, top: 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.rules.names, inverse: true },
      series: shown.map(function (level) {
        return {
          type: "bar", stack: "alerts", name: level.name, color: level.colour, barMaxWidth: 28,
          data: data.rules.series[level.key]
        };
      })
    }, 100 + 30 * data.rules.names.length);

    draw("chart-departments", {
      animation: animate,
      title: { text: data.departments.title, left: "center" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, bottom: 32, top: 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.departments.names, inverse: true },
      series: shown.filter(function (level) {
        return data.departments.series[level.key];
      }).map(function (level) {
        return {
          type: "bar", stack: "cards", name: level.name, color: level.colour, barMaxWidth: 28,
          data: data.departments.series[level.key]
        };
      })
    }, 100 + 30 * data.departments.names.length);

    draw("chart-centers", {
      animation: animate,
      title: { text: data.centers.title, left: "center" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, bottom: 32, top: 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.centers.names, inverse: true },
      color: ["#9ec5fe", "#1459a6", "#8a96a3"],
      series: data.centers.series.map(function (series) {
        return { type: "bar", stack: "cases", name: series.name, data: series.data, barMaxWidth: 28 };
      })
    }, 100 + 30 * data.centers.names.length);

    draw("chart-trend", {
      animation: animate,
      title: { text: data.trend.title, left: "center" },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, bottom: 32, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.trend.days },
      yAxis: { type: "value", minInterval: 1 },
      series: shown.map(function (level) {
        return {
          type: "line", name: level.name, color: level.colour, symbolSize: 6,
          data: data.trend.series[level.key]
        };
      })
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(true);
  });
  // The fresh figures replace the charts' boxes: draw them again, without the animation that
  // would make the wall flicker every minute.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "room-figures") {
      drawAll(false);
    }
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
