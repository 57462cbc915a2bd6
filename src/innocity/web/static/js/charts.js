// Shared by every page with a chart: the status palette and names, the Chinese font, fetching a chart's
// JSON (same origin, the session cookie), and an ECharts instance that follows the window's size.
// Tooltips are drawn on the canvas (renderMode "richText"): HTML tooltips carry inline styles, which the
// Content-Security-Policy of this application refuses.
"use strict";
(function () {
  var STATUS_ORDER = ["overdue", "off_track", "behind", "on_track", "achieved", "no_data", "needs_input"];
  // the server's one list of status names (innocity.domain.progress.STATUS_ZH), written into every page
  var STATUS_ZH = JSON.parse(document.querySelector('meta[name="status-labels"]').content);
  var STATUS_COLOR = {
    achieved: "#15803d", on_track: "#4ade80", behind: "#f59e0b", off_track: "#dc2626",
    overdue: "#7f1d1d", no_data: "#94a3b8", needs_input: "#cbd5e1"
  };
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

  function init(el) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () { chart.resize(); }, 120);
    });
    el.classList.add("chart-ready");
    return chart;
  }

  function fetchJSON(url) {
    return window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      });
  }

  function fail(el, message) {
    var p = document.createElement("p");
    p.className = "msg error";
    p.textContent = message || "图表数据载入失败，请刷新页面。";
    el.replaceChildren(p);
  }

  function num(x) {
    if (x === null || x === undefined || !isFinite(x)) { return "—"; }
    var a = Math.abs(x);
    var d = a >= 1000 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    return Number(x).toLocaleString("zh-CN", { maximumFractionDigits: d });
  }

  function base() {
    return {
      textStyle: { fontFamily: FONT, fontSize: 13, color: "#1f2937" },
      animation: false,
      tooltip: { renderMode: "richText", confine: true },
      aria: { enabled: true }
    };
  }

  window.innocityCharts = {
    STATUS_ORDER: STATUS_ORDER, STATUS_ZH: STATUS_ZH, STATUS_COLOR: STATUS_COLOR, FONT: FONT,
    init: init, fetchJSON: fetchJSON, fail: fail, num: num, base: base
  };
})();
