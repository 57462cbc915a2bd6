// The dashboard's two charts (/): the status distribution as a donut, and targets by dimension and status
// as stacked horizontal bars; both from /dashboard/chart.json (the same result as GET /api/v1/dashboard).
"use strict";
(function () {
  function draw() {
    var box = document.getElementById("dash-charts");
    var C = window.innocityCharts;
    if (!box || !C || !window.echarts) { return; }
    var donutEl = document.getElementById("chart-status");
    var barsEl = document.getElementById("chart-dimensions");
    C.fetchJSON(box.getAttribute("data-src")).then(function (d) {
      var order = C.STATUS_ORDER;
      var slices = order.map(function (s) {
        return { name: C.STATUS_ZH[s], value: d.status_counts[s], itemStyle: { color: C.STATUS_COLOR[s] } };
      }).filter(function (x) { return x.value > 0; });
      var donut = C.init(donutEl);
      donut.setOption(Object.assign(C.base(), {
        tooltip: { renderMode: "richText", confine: true, trigger: "item", formatter: "{b}：{c} 个（{d}%）" },
        title: { text: String(d.total_targets), subtext: "个目标", left: "center", top: "38%",
                 textStyle: { fontSize: 26, fontWeight: "bold", fontFamily: C.FONT },
                 subtextStyle: { fontSize: 13, fontFamily: C.FONT, color: "#6b7280" } },
        legend: { bottom: 0, left: "center", itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 12 } },
        series: [{ type: "pie", radius: ["48%", "72%"], center: ["50%", "45%"], avoidLabelOverlap: true,
                   label: { show: false }, data: slices }]
      }));
      var dims = d.by_dimension;
      var bars = C.init(barsEl);
      bars.setOption(Object.assign(C.base(), {
        tooltip: { renderMode: "richText", confine: true, trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { bottom: 0, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 12 } },
        grid: { left: 8, right: 24, top: 8, bottom: 40, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: dims.map(function (x) { return x.name; }) },
        series: order.map(function (s) {
          return { name: C.STATUS_ZH[s], type: "bar", stack: "n", barMaxWidth: 26,
                   itemStyle: { color: C.STATUS_COLOR[s] },
                   data: dims.map(function (x) { return x.counts[s] || null; }) };
        })
      }));
    }).catch(function () { C.fail(donutEl); C.fail(barsEl); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
