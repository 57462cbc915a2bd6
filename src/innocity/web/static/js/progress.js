// The target chart of /progress/{id}: baseline, the expected path to the goal, the goal, every reported
// figure (approved filled, drafts and submitted hollow) and the trend projection to the deadline, from
// /progress/{id}/chart.json (the same series as GET /api/v1/progress/{id}/chart).
"use strict";
(function () {
  function pairs(points) { return points.map(function (p) { return [p.year, p.value]; }); }

  function draw() {
    var el = document.getElementById("target-chart");
    var C = window.innocityCharts;
    if (!el || !C || !window.echarts) { return; }
    C.fetchJSON(el.getAttribute("data-src")).then(function (d) {
      var unit = d.unit || "";
      var approved = d.actual.filter(function (p) { return p.status === "approved"; });
      var pending = d.actual.filter(function (p) { return p.status !== "approved"; });
      var years = [].concat(d.expected, d.actual, d.projection, d.baseline ? [d.baseline] : [], d.goal ? [d.goal] : [])
        .map(function (p) { return p.year; });
      var minYear = years.length ? Math.min.apply(null, years) : d.evaluated_year - 5;
      var maxYear = years.length ? Math.max.apply(null, years) : d.evaluated_year;
      var series = [
        { name: "预期路径", type: "line", data: pairs(d.expected), symbol: "none", z: 1,
          lineStyle: { type: "dashed", color: "#64748b", width: 2 }, itemStyle: { color: "#64748b" } },
        { name: "已审核数值", type: "line", data: pairs(approved), symbol: "circle", symbolSize: 9, z: 3,
          lineStyle: { color: "#1d4ed8", width: 2 }, itemStyle: { color: "#1d4ed8" } },
        { name: "未审核数值", type: "scatter", data: pairs(pending), symbol: "emptyCircle", symbolSize: 11, z: 4,
          itemStyle: { color: "#1d4ed8", borderWidth: 2 } },
        { name: "趋势预测", type: "line", data: pairs(d.projection), symbol: "none", z: 2,
          lineStyle: { type: "dotted", color: "#f59e0b", width: 2 }, itemStyle: { color: "#f59e0b" } }
      ];
      if (d.baseline) {
        series.push({ name: "基期", type: "scatter", data: [[d.baseline.year, d.baseline.value]], symbol: "diamond",
                      symbolSize: 13, z: 5, itemStyle: { color: "#0f172a" } });
      }
      if (d.goal) {
        series.push({ name: "目标", type: "scatter", data: [[d.goal.year, d.goal.value]], symbol: "triangle",
                      symbolSize: 15, z: 5, itemStyle: { color: "#dc2626" },
                      label: { show: true, position: "top", formatter: "目标", color: "#dc2626" } });
      }
      var chart = C.init(el);
      chart.setOption(Object.assign(C.base(), {
        color: ["#64748b", "#1d4ed8", "#1d4ed8", "#f59e0b", "#0f172a", "#dc2626"],
        tooltip: { renderMode: "richText", confine: true, trigger: "item",
                   formatter: function (p) { return p.seriesName + "\n" + p.value[0] + " 年：" + C.num(p.value[1]) + unit; } },
        legend: { top: 0, itemWidth: 18, itemHeight: 10, textStyle: { fontSize: 12 } },
        grid: { left: 12, right: 40, top: 44, bottom: 12, containLabel: true },
        xAxis: { type: "value", min: minYear - 1, max: maxYear + 1, interval: 1, name: "年",
                 axisLabel: { formatter: function (v) { return v < minYear || v > maxYear ? "" : String(v); } },
                 splitLine: { show: false } },
        yAxis: { type: "value", scale: true, name: unit, nameTextStyle: { align: "right" },
                 axisLabel: { formatter: function (v) { return C.num(v); } } },
        series: series
      }));
    }).catch(function () { C.fail(el); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
