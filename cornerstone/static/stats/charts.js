// The statistics charts (ECharts), drawn from the JSON the server writes beside each
// box (json_script: no inline script, as the CSP requires) and drawn again whenever htmx
// swaps in new figures. The words come from the server too; this file holds none.
(function () {
  "use strict";

  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "zh-CN", {
    maximumFractionDigits: 2,
  });
  const COLOURS = ["#0d6efd", "#6f42c1", "#20c997", "#adb5bd"];
  const FONT = "system-ui, -apple-system, \"PingFang SC\", \"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif";

  function formatValue(value) {
    return typeof value === "number" && isFinite(value) ? numberFormat.format(value) : "—";
  }

  function tooltip(unit) {
    return {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (value) => formatValue(value) + " " + unit,
    };
  }

  function lineOption(data) {
    return {
      color: COLOURS,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 48, bottom: 8, containLabel: true },
      tooltip: Object.assign(tooltip(data.unit), { axisPointer: { type: "line" } }),
      xAxis: { type: "category", boundaryGap: false, data: data.categories },
      yAxis: { type: "value", name: data.unit, axisLabel: { formatter: formatValue } },
      series: data.series.map((s, i) => ({
        name: s.name,
        type: "line",
        data: s.data.map((v) => (v === null ? "-" : v)),
        symbolSize: 5,
        connectNulls: false,
        lineStyle: { width: i < 2 ? 2.5 : 1.5, type: s.dashed ? "dashed" : "solid" },
      })),
    };
  }

  function barOption(data) {
    const many = data.categories.length > 8;
    return {
      color: COLOURS,
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: tooltip(data.unit),
      xAxis: {
        type: "category",
        data: data.categories,
        axisLabel: { interval: 0, rotate: many ? 35 : 0 },
      },
      yAxis: { type: "value", name: data.unit, axisLabel: { formatter: formatValue } },
      series: data.series.map((s) => ({ name: s.name, type: "bar", barMaxWidth: 48, data: s.data })),
    };
  }

  function funnelOption(data) {
    // Horizontal bars, widest stage first: the counts of a lifecycle need not shrink.
    return {
      color: COLOURS,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: tooltip(data.unit),
      xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: formatValue } },
      yAxis: { type: "category", inverse: true, data: data.categories },
      series: data.series.map((s) => ({
        name: s.name,
        type: "bar",
        data: s.data,
        label: { show: true, position: "right", formatter: (p) => formatValue(p.value) },
      })),
    };
  }

  const BUILDERS = { line: lineOption, bar: barOption, funnel: funnelOption };

  function draw(root) {
    if (!window.echarts) {
      console.error("stats: ECharts is not loaded");
      return;
    }
    root.querySelectorAll("[data-chart-source]").forEach((box) => {
      const source = document.getElementById(box.dataset.chartSource);
      if (!source) return;
      let data;
      try {
        data = JSON.parse(source.textContent);
      } catch (error) {
        console.error("stats: chart data is not valid JSON", error);
        return;
      }
      const build = BUILDERS[data.type];
      if (!build) return;
      const previous = window.echarts.getInstanceByDom(box);
      if (previous) previous.dispose();
      const chart = window.echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: FONT } }, build(data)));
      box.dataset.chartReady = "true";
    });
  }

  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      document.querySelectorAll("[data-chart-source]").forEach((box) => {
        const chart = window.echarts && window.echarts.getInstanceByDom(box);
        if (chart) chart.resize();
      });
    });
  });

  // A bad filter is answered 400 (a region outside the user's scope 403) with the reason
  // in the page body: swap it in like any other answer, so the person reads why.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 400 || status === 403) && event.detail.target.id === "results") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", () => draw(document));
  document.addEventListener("htmx:afterSettle", (event) => draw(event.target));
})();
