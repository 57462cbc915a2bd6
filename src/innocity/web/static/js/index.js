// The index run's charts (/index/runs/{id}): the ranking as a dot per unit at its rank with a whisker from
// the 5 % to the 95 % rank quantile, the indicators' effective weights, and the Sobol indices (first order
// and total) when the run computed them; all from /index/runs/{id}.json (= GET /api/v1/index/runs/{id}).
"use strict";
(function () {
  function rankChart(C, el, r) {
    var units = r.units.slice().sort(function (a, b) { return a.rank - b.rank; });
    var n = units.length;
    el.style.height = Math.max(320, Math.min(22 * n + 80, 6000)) + "px";  // CSSOM, not an inline style
    var names = units.map(function (u) { return u.unit; });
    var whiskers = units.map(function (u, i) {
      var iv = u.rank_interval || [u.rank, u.rank];
      return [iv[0], iv[1], i];
    });
    var chart = C.init(el);
    chart.setOption(Object.assign(C.base(), {
      grid: { left: 8, right: 24, top: 36, bottom: 36, containLabel: true },
      legend: { top: 0, data: ["名次", "5%–95% 区间"], textStyle: { fontSize: 12 } },
      tooltip: { renderMode: "richText", confine: true, trigger: "item",
        formatter: function (p) {
          var u = units[p.seriesName === "名次" ? p.dataIndex : p.value[2]];
          var iv = u.rank_interval ? "\n区间：" + C.num(u.rank_interval[0]) + "–" + C.num(u.rank_interval[1]) : "";
          return u.unit + "\n名次：" + u.rank + "　得分：" + C.num(u.score) + iv;
        } },
      xAxis: { type: "value", min: 0.5, max: n + 0.5, name: "名次", nameLocation: "middle", nameGap: 24, minInterval: 1,
               axisLabel: { formatter: function (v) { return Number.isInteger(v) ? String(v) : ""; } } },
      yAxis: { type: "category", data: names, inverse: true, axisTick: { show: false },
               axisLabel: { interval: 0, fontSize: n > 60 ? 10 : 12 } },
      series: [
        { name: "5%–95% 区间", type: "custom", data: whiskers, z: 1, itemStyle: { color: "#94a3b8" },
          encode: { x: [0, 1], y: 2 },
          renderItem: function (params, api) {
            var a = api.coord([api.value(0), api.value(2)]);
            var b = api.coord([api.value(1), api.value(2)]);
            var h = Math.min(8, api.size([0, 1])[1] * 0.5);
            var style = { stroke: "#64748b", lineWidth: 1.5 };
            return { type: "group", children: [
              { type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: style },
              { type: "line", shape: { x1: a[0], y1: a[1] - h / 2, x2: a[0], y2: a[1] + h / 2 }, style: style },
              { type: "line", shape: { x1: b[0], y1: b[1] - h / 2, x2: b[0], y2: b[1] + h / 2 }, style: style }
            ] };
          } },
        { name: "名次", type: "scatter", z: 2, symbolSize: n > 100 ? 6 : 9, itemStyle: { color: "#1d4ed8" },
          data: units.map(function (u, i) { return [u.rank, i]; }) }
      ]
    }));
  }

  function weightChart(C, el, r, names) {
    var rows = Object.keys(r.weights).map(function (k) { return [names[k] || k, r.weights[k]]; })
      .sort(function (a, b) { return b[1] - a[1]; });
    el.style.height = Math.max(240, 22 * rows.length + 60) + "px";
    var chart = C.init(el);
    chart.setOption(Object.assign(C.base(), {
      grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
      tooltip: { renderMode: "richText", confine: true, trigger: "item",
                 formatter: function (p) { return p.name + "：" + (p.value * 100).toFixed(1) + "%"; } },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      yAxis: { type: "category", inverse: true, data: rows.map(function (x) { return x[0]; }),
               axisLabel: { interval: 0, width: 190, overflow: "truncate" } },
      series: [{ type: "bar", barMaxWidth: 16, itemStyle: { color: "#0f766e" }, data: rows.map(function (x) { return x[1]; }),
                 label: { show: true, position: "right", fontSize: 11,
                          formatter: function (p) { return (p.value * 100).toFixed(1) + "%"; } } }]
    }));
  }

  // the engine's names of the assumptions varied (domain/index/sobol.py, uncertainty.py)
  var FACTOR_ZH = { aggregate: "聚合方法", normalise: "归一化方法", impute: "缺失值插补", treat: "异常值处理" };
  function factorZh(name) {
    var m = /^weights level (\d+)$/.exec(name);
    if (m) { return "第 " + m[1] + " 层权重"; }
    return FACTOR_ZH[name] || name;
  }

  function sobolChart(C, el, r) {
    var s = r.sensitivity || [];
    var chart = C.init(el);
    chart.setOption(Object.assign(C.base(), {
      grid: { left: 8, right: 16, top: 36, bottom: 24, containLabel: true },
      legend: { top: 0, data: ["一阶指数 S", "总指数 ST"], textStyle: { fontSize: 12 } },
      tooltip: { renderMode: "richText", confine: true, trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: s.map(function (x) { return factorZh(x.factor); }) },
      yAxis: { type: "value", min: 0, max: 1 },
      series: [
        { name: "一阶指数 S", type: "bar", itemStyle: { color: "#1d4ed8" }, data: s.map(function (x) { return x.first; }) },
        { name: "总指数 ST", type: "bar", itemStyle: { color: "#f59e0b" }, data: s.map(function (x) { return x.total; }) }
      ]
    }));
  }

  function draw() {
    var el = document.getElementById("chart-rank");
    var C = window.innocityCharts;
    if (!el || !C || !window.echarts) { return; }
    var names = JSON.parse(el.getAttribute("data-names") || "{}");
    C.fetchJSON(el.getAttribute("data-src")).then(function (run) {
      if (!run.result) { return; }
      rankChart(C, el, run.result);
      var w = document.getElementById("chart-weights");
      if (w) { weightChart(C, w, run.result, names); }
      var s = document.getElementById("chart-sobol");
      if (s) { sobolChart(C, s, run.result); }
    }).catch(function () { C.fail(el); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
