// The wall chart (挂图作战) of one project: a Gantt of its tasks and milestones
// (frappe-gantt) and its investment S-curve (ECharts), both fed by the JSON the
// page embeds as #wallchart-data. Plain ES2017 with no build step; the page's CSP
// forbids inline scripts and eval, and nothing here needs them.
//
// What the page provides (all optional but the data):
//   <script type="application/json" id="wallchart-data">   the payload
//   <div id="wallchart-gantt">    filled with a legend, the interactive Gantt and
//                                 a static copy of it for print
//   <div id="wallchart-scurve">   the S-curve
//   <button data-gantt-view="Day|Week|Month">   switch the Gantt's scale
//
// Printing: the interactive Gantt scrolls sideways, so it is hidden in print and a
// second copy, drawn once at load over the whole project at a width near A3
// landscape and frozen into SVGs with a viewBox (one per page-sized band of rows,
// each with the header), is shown instead; it scales to whatever width the printed
// page gives it. The S-curve likewise has a print copy drawn at a fixed size.
(function () {
  "use strict";

  const DAY_MS = 86400000;
  // The width (CSS px) the print copy of the Gantt is drawn at: A3 landscape less
  // 2 × 10 mm margins is 400 mm ≈ 1512 px. Only the text size depends on it.
  const PRINT_WIDTH = 1480;
  const PRINT_SCURVE_HEIGHT = 420;
  // The tallest band of the print Gantt (px at PRINT_WIDTH); an A3 landscape page
  // less margins is 277 mm ≈ 1047 px, and the first page also has the title.
  const PRINT_BAND_HEIGHT = 860;
  let clipCounter = 0;
  const STATUSES = ["pending", "done_on_time", "done_late", "overdue_open"];
  // Series colours of the S-curve; wallchart.css repeats them for the tooltip dots.
  const SCURVE_COLORS = ["#2563eb", "#16a34a"];
  const DEFAULT_LABELS = {
    planned: "计划", actual: "实际", critical: "关键路径", milestone: "节点", today: "今天",
    deadline: "完成时限", late: "滞后", plan_cumulative: "累计计划投资",
    actual_cumulative: "累计完成投资", unit: "万元", float: "总时差", days: "个工作日",
    view_day: "日", view_week: "周", view_month: "月",
  };
  // Per view: the screen's column width, the print copy's narrowest acceptable
  // column, and the padding (in the view's own unit) around the project's dates.
  const VIEWS = {
    Day: { column: 36, printMin: 22, pad: 7, printPad: 2 },
    Week: { column: 64, printMin: 38, pad: 2, printPad: 1 },
    Month: { column: 72, printMin: 26, pad: 1, printPad: 1 },
  };

  // ---- dates: "YYYY-MM-DD" at local midnight, as frappe-gantt parses them ----

  function parseDate(value) {
    const m = typeof value === "string" && /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return null;
    const d = new Date(+m[1], +m[2] - 1, +m[3]);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }

  function pad2(n) {
    return String(n).padStart(2, "0");
  }

  function isoDate(d) {
    return d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate());
  }

  function addDays(d, n) {
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
  }

  function daysBetween(a, b) {
    return Math.round((b - a) / DAY_MS);
  }

  function minDate(dates) {
    return dates.reduce((a, b) => (b && (!a || b < a) ? b : a), null);
  }

  function maxDate(dates) {
    return dates.reduce((a, b) => (b && (!a || b > a) ? b : a), null);
  }

  // The x of a date on a rendered chart, by the same arithmetic frappe-gantt
  // uses for its bars (date_utils.diff), so lines and bars agree in every view.
  function xOf(gantt, date) {
    const start = gantt.gantt_start;
    let units;
    if (gantt.config.unit === "month") {
      units = (date.getFullYear() - start.getFullYear()) * 12 + date.getMonth() - start.getMonth()
        + date.getDate() / 31;
      if (date.getDate() < start.getDate()) units -= 1;
    } else {
      const ms = date - start + (start.getTimezoneOffset() - date.getTimezoneOffset()) * 60000;
      units = ms / DAY_MS;
    }
    return ((Math.round(units * 100) / 100) / gantt.config.step) * gantt.config.column_width;
  }

  // ---- small DOM helpers; nothing here writes a style attribute ----

  const SVG_NS = "http://www.w3.org/2000/svg";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function svgEl(tag, attrs, parent) {
    const node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach((key) => node.setAttribute(key, attrs[key]));
    if (parent) parent.appendChild(node);
    return node;
  }

  // frappe-gantt puts a task's name into the SVG with innerHTML.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  const numberFormat = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 2 });

  // ---- the rows of the Gantt ----

  // One row per milestone (first, by date), then per task its planned row and,
  // once it has started, its actual row right below. frappe-gantt's custom_class
  // must be a single class name (it calls classList.add with it), so each kind of
  // row has one compound class. Ids are ours, safe in CSS selectors.
  function buildRows(data, labels, today) {
    const rows = [];
    const info = new Map();
    const milestones = (Array.isArray(data.milestones) ? data.milestones : [])
      .map((m) => Object.assign({}, m, { _date: parseDate(m.date) }))
      .filter((m) => m._date)
      .sort((a, b) => a._date - b._date);
    milestones.forEach((m, i) => {
      const id = "wc-m" + i;
      const status = STATUSES.indexOf(m.status) >= 0 ? m.status : "pending";
      rows.push({
        id, name: escapeHtml(m.name || ""), start: m.date, end: m.date,
        custom_class: "wc-ms-" + status, progress: 0, dependencies: [],
      });
      info.set(id, { kind: "milestone", item: m, status });
    });

    const tasks = (Array.isArray(data.tasks) ? data.tasks : []).filter((t) => {
      const ok = parseDate(t.start) && parseDate(t.finish);
      if (!ok) console.warn("wallchart: task without valid dates skipped", t.id);
      return ok;
    });
    const idOf = new Map();
    tasks.forEach((t, i) => idOf.set(String(t.id), "wc-t" + i));
    tasks.forEach((t, i) => {
      const id = "wc-t" + i;
      let start = parseDate(t.start);
      let finish = parseDate(t.finish);
      if (finish < start) finish = start;
      const deps = (Array.isArray(t.dependencies) ? t.dependencies : [])
        .map((d) => idOf.get(String(d)))
        .filter((d) => d && d !== id);
      rows.push({
        id, name: escapeHtml(t.name || ""), start: isoDate(start), end: isoDate(finish),
        custom_class: "wc-plan" + (t.critical ? "-crit" : "") + (t.late ? "-late" : ""),
        progress: 0, dependencies: deps,
      });
      info.set(id, { kind: "plan", item: t });
      const actualStart = parseDate(t.actual_start);
      if (actualStart) {
        let actualEnd = parseDate(t.actual_finish) || today;
        if (!actualEnd || actualEnd < actualStart) actualEnd = actualStart;
        const actualId = id + "-a";
        rows.push({
          id: actualId,
          name: escapeHtml((t.name || "") + (labels.actual_suffix || "（" + labels.actual + "）")),
          start: isoDate(actualStart), end: isoDate(actualEnd),
          custom_class: "wc-act" + (t.late ? "-late" : ""), progress: 0, dependencies: [],
        });
        info.set(actualId, { kind: "actual", item: t, start: actualStart, end: actualEnd });
      }
    });
    return { rows, info, milestones, tasks };
  }

  // frappe-gantt keeps and changes the task objects it is given: a fresh copy each time.
  function copyRows(rows) {
    return rows.map((r) => Object.assign({}, r, { dependencies: r.dependencies.slice() }));
  }

  // ---- view modes, with Chinese headers ----

  function monthLabel(d) {
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月";
  }

  // pads: {Day: [before, after], ...} in each view's unit.
  function makeViewModes(pads, forPrint, narrowMonths) {
    const monthChanged = (d, ld) => !ld || d.getMonth() !== ld.getMonth();
    return {
      Day: {
        name: "Day", step: "1d", date_format: "YYYY-MM-DD", column_width: VIEWS.Day.column,
        padding: [pads.Day[0] + "d", pads.Day[1] + "d"],
        lower_text: (d) => String(d.getDate()),
        upper_text: (d, ld) => (monthChanged(d, ld) ? monthLabel(d) : ""),
        thick_line: (d) => d.getDay() === 1,
      },
      Week: {
        name: "Week", step: "7d", date_format: "YYYY-MM-DD", column_width: VIEWS.Week.column,
        padding: [pads.Week[0] * 7 + "d", pads.Week[1] * 7 + "d"],
        lower_text: (d) => (d.getMonth() + 1) + "/" + d.getDate(),
        upper_text: (d, ld) => (monthChanged(d, ld) ? monthLabel(d) : ""),
        thick_line: (d) => d.getDate() <= 7,
        upper_text_frequency: 4,
      },
      Month: {
        name: "Month", step: "1m", date_format: "YYYY-MM", column_width: VIEWS.Month.column,
        padding: [pads.Month[0] + "m", pads.Month[1] + "m"],
        lower_text: (d) => (d.getMonth() + 1) + (forPrint && narrowMonths ? "" : "月"),
        upper_text: (d, ld) => (!ld || d.getFullYear() !== ld.getFullYear() ? d.getFullYear() + "年" : ""),
        thick_line: (d) => d.getMonth() % 3 === 0,
        snap_at: "7d",
      },
    };
  }

  // How far (in each view's unit) the chart must reach beyond the rows so that
  // today and the deadline are on it.
  function paddings(span, forPrint) {
    const before = Math.max(0, daysBetween(span.markerStart, span.rowsStart));
    const after = Math.max(0, daysBetween(span.rowsEnd, span.markerEnd));
    const pads = {};
    Object.keys(VIEWS).forEach((name) => {
      const base = forPrint ? VIEWS[name].printPad : VIEWS[name].pad;
      const per = name === "Day" ? 1 : name === "Week" ? 7 : 28;
      pads[name] = [base + Math.ceil(before / per), base + Math.ceil(after / per)];
    });
    return pads;
  }

  function spanOf(rows, today, deadline) {
    const starts = rows.map((r) => parseDate(r.start));
    const ends = rows.map((r) => addDays(parseDate(r.end), 1));
    const rowsStart = minDate(starts);
    const rowsEnd = maxDate(ends);
    const markerStart = minDate([today, deadline].concat([rowsStart]));
    const markerEnd = maxDate([today && addDays(today, 1), deadline && addDays(deadline, 1), rowsEnd]);
    return { rowsStart, rowsEnd, markerStart, markerEnd, days: daysBetween(markerStart, markerEnd) };
  }

  function autoView(span) {
    if (span.days <= 45) return "Day";
    if (span.days <= 300) return "Week";
    return "Month";
  }

  // ---- what is drawn on top of frappe-gantt after each render ----

  function decorate(gantt, ctx) {
    const svg = gantt.$svg;
    const top = gantt.config.header_height;
    const bottom = gantt.grid_height;
    const cw = gantt.config.column_width;

    // Weekends in the day view: frappe-gantt's own "holidays" shading sets a
    // style attribute per day, which a strict style-src would refuse.
    if (gantt.config.unit === "day" && gantt.config.step === 1) {
      const layer = svgEl("g", { class: "wc-weekends" });
      gantt.dates.forEach((d, i) => {
        if (d.getDay() === 0 || d.getDay() === 6) {
          svgEl("rect", { x: i * cw, y: top, width: cw, height: bottom - top, class: "wc-weekend" }, layer);
        }
      });
      gantt.layers.grid.insertBefore(layer, gantt.layers.grid.children[1] || null);
    }

    const diamonds = [];
    gantt.bars.forEach((bar) => {
      const row = ctx.info.get(bar.task.id);
      if (!row) return;
      const rect = bar.$bar;
      const x = +rect.getAttribute("x");
      const y = +rect.getAttribute("y");
      const w = +rect.getAttribute("width");
      const h = +rect.getAttribute("height");
      if (row.kind === "milestone") {
        const r = Math.min(h / 2, 9);
        const cx = x + w / 2;
        const cy = y + h / 2;
        svgEl("polygon", {
          class: "wc-diamond",
          points: [cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy].join(" "),
        }, bar.bar_group);
        diamonds.push({ bar, x: cx + r + 5 });
      } else if (row.kind === "actual") {
        // A thinner bar, so that planned and actual differ by shape too.
        rect.setAttribute("y", y + h * 0.2);
        rect.setAttribute("height", h * 0.6);
      }
    });
    // frappe-gantt places the labels on the next frame; the milestones' go to the
    // right of their diamonds, after that.
    const placeLabels = () => diamonds.forEach((d) => {
      const label = d.bar.group.querySelector(".bar-label");
      if (!label) return;
      label.classList.add("big");
      label.setAttribute("x", d.x);
    });
    if (ctx.print) {
      gantt.bars.forEach((bar) => bar.update_label_position());
      placeLabels();
    } else {
      requestAnimationFrame(placeLabels);
    }

    // Dependency arrows between two critical tasks are part of the critical path.
    (gantt.arrows || []).forEach((arrow) => {
      const from = ctx.info.get(arrow.from_task.task.id);
      const to = ctx.info.get(arrow.to_task.task.id);
      if (from && to && from.item.critical && to.item.critical) {
        arrow.element.classList.add("wc-arrow-crit");
      }
    });

    // Today and the deadline. frappe-gantt draws today's line itself, but from the
    // browser's clock: it is kept when that agrees with the server's today, and
    // replaced otherwise (and in the print copy, which keeps only the SVG).
    const markers = svgEl("g", { class: "wc-markers" }, svg);
    const builtin = gantt.$current_highlight && gantt.$current_highlight.isConnected;
    const ownToday = ctx.print || !builtin || isoDate(new Date()) !== ctx.todayIso;
    ctx.host.classList.toggle("wc-own-today", ownToday);
    const chartWidth = gantt.dates.length * cw;
    // A label runs to the right of its line, or to the left near the chart's end.
    const label = (x, cls, text) => {
      const node = svgEl("text", { x: x + 4, y: top + 12, class: "wc-marker-label " + cls }, markers);
      node.textContent = text;
      if (x + 4 + node.getComputedTextLength() > chartWidth - 2) {
        node.setAttribute("x", x - 4);
        node.setAttribute("text-anchor", "end");
      }
    };
    const marker = (date, cls, text, atEnd) => {
      if (!date) return;
      const x = atEnd ? xOf(gantt, addDays(date, 1))
        : (xOf(gantt, date) + xOf(gantt, addDays(date, 1))) / 2;
      if (cls === "wc-today" && !ownToday) {
        label(x, cls, text);
        return;
      }
      svgEl("line", { x1: x, x2: x, y1: top, y2: bottom, class: "wc-marker " + cls }, markers);
      label(x, cls, text);
    };
    marker(ctx.today, "wc-today", ctx.labels.today, false);
    marker(ctx.deadline, "wc-deadline", ctx.labels.deadline + " " + (ctx.deadline && isoDate(ctx.deadline)), true);

    // A month (or year) label too close to the next one, as for a partial first
    // month, is hidden; frappe-gantt still needs the element while scrolling.
    const uppers = Array.from(gantt.$upper_header.querySelectorAll(".upper-text"));
    uppers.forEach((node, i) => {
      const next = uppers[i + 1];
      const crowded = next && parseFloat(next.style.left) - parseFloat(node.style.left) < node.offsetWidth + 8;
      node.classList.toggle("wc-crowded", Boolean(crowded));
    });
  }

  // ---- popups: built with textContent, never from HTML ----

  function popupFor(ctx) {
    return (popup) => {
      const row = ctx.info.get(popup.task.id);
      if (!row) return false;
      const item = row.item;
      const labels = ctx.labels;
      popup.get_title().textContent = item.name || "";
      const subtitle = popup.get_subtitle();
      const details = popup.get_details();
      subtitle.textContent = "";
      details.textContent = "";
      const line = (text, cls) => details.appendChild(el("div", cls || "", text));
      if (row.kind === "milestone") {
        subtitle.appendChild(el("span", "wc-pop-status wc-pop-" + row.status, item.status_label || ""));
        line(labels.milestone + (labels.separator || "：") + item.date);
        return undefined;
      }
      if (item.critical) subtitle.appendChild(el("span", "wc-pop-crit", labels.critical));
      if (item.late) subtitle.appendChild(el("span", "wc-pop-late", labels.late));
      line(labels.planned + (labels.separator || "：") + item.start + " — " + item.finish);
      if (item.actual_start) {
        line(labels.actual + (labels.separator || "：") + item.actual_start + " — " + (item.actual_finish || labels.today));
      }
      if (item.float !== null && item.float !== undefined) {
        line(labels.float + (labels.separator || "：") + item.float + " " + labels.days);
      }
      const who = [item.department, item.person].filter(Boolean).join(" · ");
      if (who) line(who);
      return undefined;
    };
  }

  // ---- the legend ----

  function buildLegend(built, labels, ctx) {
    const legend = el("div", "wc-legend");
    const key = (swatch, text) => {
      const item = el("span", "wc-key");
      item.appendChild(el("span", "wc-swatch " + swatch));
      item.appendChild(document.createTextNode(text));
      legend.appendChild(item);
    };
    const tasks = built.tasks;
    if (tasks.length) key("wc-swatch-plan", labels.planned);
    if (tasks.some((t) => t.critical)) key("wc-swatch-crit", labels.critical);
    if (tasks.some((t) => t.actual_start)) key("wc-swatch-act", labels.actual);
    if (tasks.some((t) => t.late)) key("wc-swatch-late", labels.late);
    const seen = new Set();
    built.milestones.forEach((m) => {
      const status = STATUSES.indexOf(m.status) >= 0 ? m.status : "pending";
      if (seen.has(status)) return;
      seen.add(status);
      key("wc-swatch-ms wc-swatch-ms-" + status, labels.milestone + (labels.separator || "：") + (m.status_label || status));
    });
    key("wc-swatch-today", labels.today + " " + ctx.todayIso);
    if (ctx.deadline) key("wc-swatch-deadline", labels.deadline + " " + isoDate(ctx.deadline));
    return legend;
  }

  // ---- the Gantt ----

  function ganttOptions(ctx, modes, first, extra) {
    const order = [modes[first]].concat(Object.keys(modes).filter((k) => k !== first).map((k) => modes[k]));
    return Object.assign({
      language: "zh",
      readonly: true,
      move_dependencies: false,
      infinite_padding: false,
      holidays: null,
      view_mode_select: false,
      today_button: false,
      popup_on: "click",
      popup: popupFor(ctx),
      bar_height: 26,
      padding: 14,
      view_modes: order,
      // `this` is the chart; the constructor renders before it returns.
      on_view_change: function () {
        decorate(this, ctx);
      },
    }, extra);
  }

  function scrollTarget(ctx, view) {
    // A little of the past to the left of today.
    const back = { Day: 7, Week: 21, Month: 62 }[view];
    const d = addDays(ctx.today || ctx.span.rowsStart, -back);
    return isoDate(d < ctx.span.markerStart ? ctx.span.markerStart : d);
  }

  function renderScreenGantt(host, ctx, view) {
    const modes = makeViewModes(paddings(ctx.span, false), false, false);
    // No "today" button: it would scroll by the browser's clock; switching the
    // view scrolls back to the server's today.
    const options = ganttOptions(ctx, modes, view, { scroll_to: scrollTarget(ctx, view) });
    const gantt = new window.Gantt(host, copyRows(ctx.rows), options);
    return {
      gantt,
      show(name) {
        if (!modes[name]) return;
        gantt.options.scroll_to = scrollTarget(ctx, name);
        gantt.change_view_mode(name);
      },
    };
  }

  // The print copy: a hidden chart of the whole span at about PRINT_WIDTH, in the
  // finest view whose columns are still wide enough, then frozen (see freeze).
  function renderPrintGantt(target, ctx) {
    const span = ctx.span;
    const estimate = {
      Day: span.days + 2 * VIEWS.Day.printPad + 1,
      Week: Math.ceil(span.days / 7) + 2 * VIEWS.Week.printPad + 1,
      Month: Math.ceil(span.days / 30.4) + 2 * VIEWS.Month.printPad + 2,
    };
    const view = ["Day", "Week", "Month"].find((name) => PRINT_WIDTH / estimate[name] >= VIEWS[name].printMin)
      || "Month";
    const narrow = view === "Month" && PRINT_WIDTH / estimate.Month < 34;
    const modes = makeViewModes(paddings(span, true), true, narrow);
    const offscreen = el("div", "wc-offscreen");
    document.body.appendChild(offscreen);
    const printCtx = Object.assign({}, ctx, { print: true, host: offscreen });
    try {
      const options = ganttOptions(printCtx, { [view]: modes[view] }, view, {
        popup: () => false,
        bar_height: 22,
        padding: 10,
        scroll_to: null,
        column_width: Math.max(8, Math.floor(PRINT_WIDTH / estimate[view])),
      });
      const gantt = new window.Gantt(offscreen, copyRows(ctx.rows), options);
      const exact = Math.floor(PRINT_WIDTH / gantt.dates.length);
      if (exact !== gantt.config.column_width) {
        gantt.options.column_width = exact;
        gantt.change_view_mode(view);
      }
      target.appendChild(freeze(gantt));
    } finally {
      offscreen.remove();
    }
  }

  // The print chart's SVG, cut into bands of rows that fit a page, each with the
  // header redrawn on top (frappe-gantt's header is HTML, not part of the SVG).
  function freeze(gantt) {
    const width = gantt.dates.length * gantt.config.column_width;
    const headerHeight = gantt.config.header_height;
    const rowHeight = gantt.options.bar_height + gantt.options.padding;
    const rows = gantt.tasks.length;
    const body = gantt.$svg.cloneNode(true);
    body.querySelectorAll("animate, pattern, .handle-group").forEach((n) => n.remove());

    const header = svgEl("g", { class: "wc-print-header" });
    svgEl("rect", { x: 0, y: 0, width, height: headerHeight, class: "wc-print-header-bg" }, header);
    const px = (node, prop) => parseFloat(node.style[prop]) || 0;
    gantt.$upper_header.querySelectorAll(".upper-text:not(.wc-crowded)").forEach((node) => {
      svgEl("text", { x: px(node, "left") + 4, y: px(node, "top") + 8, class: "wc-print-upper" }, header)
        .textContent = node.textContent;
    });
    const cw = gantt.config.column_width;
    const lowerY = gantt.options.upper_header_height + 5 + gantt.options.lower_header_height * 0.4;
    gantt.$lower_header.querySelectorAll(".lower-text").forEach((node) => {
      svgEl("text", { x: px(node, "left") + cw / 2, y: lowerY, class: "wc-print-lower" }, header)
        .textContent = node.textContent;
    });
    // Today's and the deadline's names go in the header, so every band has them.
    body.querySelectorAll(".wc-marker-label").forEach((label) => {
      label.setAttribute("y", headerHeight - 7);
      header.appendChild(label);
    });
    svgEl("line", { x1: 0, x2: width, y1: headerHeight - 0.5, y2: headerHeight - 0.5, class: "wc-print-header-line" }, header);

    const perBand = Math.max(1, Math.floor((PRINT_BAND_HEIGHT - headerHeight) / rowHeight));
    const bands = document.createDocumentFragment();
    for (let first = 0; first < rows; first += perBand) {
      const count = Math.min(perBand, rows - first);
      const height = headerHeight + count * rowHeight;
      const svg = svgEl("svg", {
        class: "gantt wc-print-svg", role: "img",
        viewBox: "0 0 " + width + " " + height, preserveAspectRatio: "xMinYMin meet",
      });
      const clipId = "wc-print-clip-" + (++clipCounter);
      const clip = svgEl("clipPath", { id: clipId }, svgEl("defs", {}, svg));
      svgEl("rect", { x: 0, y: headerHeight, width, height: count * rowHeight }, clip);
      const shifted = svgEl("g", { transform: "translate(0 " + (-first * rowHeight) + ")" },
        svgEl("g", { "clip-path": "url(#" + clipId + ")" }, svg));
      Array.from(body.childNodes).forEach((n) => shifted.appendChild(n.cloneNode(true)));
      svg.appendChild(header.cloneNode(true));
      svgEl("rect", { x: 0.5, y: 0.5, width: width - 1, height: height - 1, class: "wc-print-frame" }, svg);
      bands.appendChild(svg);
    }
    return bands;
  }

  // The page's view buttons; empty ones get the names from the labels.
  function viewButtons(labels) {
    const names = { Day: labels.view_day, Week: labels.view_week, Month: labels.view_month };
    const buttons = Array.from(document.querySelectorAll("[data-gantt-view]"));
    buttons.forEach((b) => {
      if (!b.textContent.trim() && names[b.dataset.ganttView]) b.textContent = names[b.dataset.ganttView];
    });
    return buttons;
  }

  function setupGantt(container, ctx) {
    if (typeof window.Gantt !== "function") {
      console.error("wallchart: frappe-gantt is not loaded");
      return;
    }
    container.textContent = "";
    container.classList.add("wc-gantt");
    container.appendChild(buildLegend(ctx.built, ctx.labels, ctx));
    const screenHost = el("div", "wc-gantt-screen");
    const printHost = el("div", "wc-gantt-print");
    container.appendChild(screenHost);
    container.appendChild(printHost);

    const buttons = viewButtons(ctx.labels);
    const preset = buttons.find((b) => b.classList.contains("active") || b.getAttribute("aria-pressed") === "true");
    let view = preset && VIEWS[preset.dataset.ganttView] ? preset.dataset.ganttView : autoView(ctx.span);
    const mark = () => buttons.forEach((b) => {
      const on = b.dataset.ganttView === view;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });

    ctx.host = screenHost;
    const chart = renderScreenGantt(screenHost, ctx, view);
    mark();
    buttons.forEach((b) => b.addEventListener("click", () => {
      if (!VIEWS[b.dataset.ganttView]) return;
      view = b.dataset.ganttView;
      chart.show(view);
      mark();
    }));

    renderPrintGantt(printHost, ctx);
  }

  // ---- the S-curve ----

  function setupScurve(container, ctx) {
    const sc = ctx.data.scurve;
    if (!sc || !Array.isArray(sc.months) || !sc.months.length) return;
    if (!window.echarts) {
      console.error("wallchart: ECharts is not loaded");
      return;
    }
    const labels = ctx.labels;
    const months = sc.months.map(String);
    const values = (list) => months.map((_, i) => {
      const v = Array.isArray(list) ? list[i] : null;
      return typeof v === "number" && isFinite(v) ? v : "-";
    });
    const lines = [];
    const todayMonth = ctx.todayIso.slice(0, 7);
    if (months.indexOf(todayMonth) >= 0) {
      lines.push({ xAxis: todayMonth, label: { formatter: labels.today }, lineStyle: { color: "#6b7280" } });
    }
    const deadlineMonth = ctx.deadline ? isoDate(ctx.deadline).slice(0, 7) : null;
    if (deadlineMonth && months.indexOf(deadlineMonth) >= 0) {
      lines.push({ xAxis: deadlineMonth, label: { formatter: labels.deadline }, lineStyle: { color: "#dc2626" } });
    }

    const tooltip = (params) => {
      const list = Array.isArray(params) ? params : [params];
      if (!list.length) return "";
      let html = '<div class="wc-tt-title">' + escapeHtml(list[0].axisValue) + "</div>";
      list.forEach((p) => {
        const v = typeof p.value === "number" ? numberFormat.format(p.value) + " " + labels.unit : "—";
        html += '<div class="wc-tt-row"><span class="wc-tt-dot wc-tt-s' + p.seriesIndex + '"></span>'
          + escapeHtml(p.seriesName) + '<span class="wc-tt-value">' + escapeHtml(v) + "</span></div>";
      });
      return html;
    };

    const option = {
      animation: false,
      color: SCURVE_COLORS,
      textStyle: { fontFamily: "system-ui, -apple-system, \"PingFang SC\", \"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif" },
      grid: { left: 16, right: 32, top: 56, bottom: 16 },
      legend: { top: 0, data: [labels.plan_cumulative, labels.actual_cumulative] },
      tooltip: { trigger: "axis", formatter: tooltip, className: "wc-tooltip" },
      xAxis: { type: "category", boundaryGap: false, data: months },
      yAxis: {
        type: "value", name: labels.unit,
        axisLabel: { formatter: (v) => numberFormat.format(v) },
      },
      series: [
        {
          name: labels.plan_cumulative, type: "line", data: values(sc.plan),
          symbol: "circle", symbolSize: 5, lineStyle: { width: 2 },
          markLine: lines.length ? {
            silent: true, symbol: "none", data: lines,
            lineStyle: { type: "dashed", width: 1 },
            label: { position: "insideEndTop" },
          } : undefined,
        },
        {
          name: labels.actual_cumulative, type: "line", data: values(sc.actual),
          symbol: "circle", symbolSize: 5, lineStyle: { width: 2.5 }, connectNulls: false,
        },
      ],
    };

    container.textContent = "";
    container.classList.add("wc-scurve");
    const screenBox = el("div", "wc-scurve-screen");
    const printBox = el("div", "wc-scurve-print");
    container.appendChild(screenBox);
    container.appendChild(printBox);

    const chart = window.echarts.init(screenBox, null, { renderer: "svg", locale: "ZH" });
    chart.setOption(option);
    let pending = 0;
    const resize = () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => chart.resize());
    };
    window.addEventListener("resize", resize);

    // The print copy: drawn once at a fixed size, with a viewBox so that the print
    // stylesheet can scale it to the page's width. (Resizing the live chart on
    // beforeprint instead gave squashed or clipped output in Chromium's print.)
    const printChart = window.echarts.init(printBox, null, {
      renderer: "svg", locale: "ZH", width: PRINT_WIDTH, height: PRINT_SCURVE_HEIGHT,
    });
    printChart.setOption(Object.assign({}, option, { tooltip: { show: false } }));
    const svg = printBox.querySelector("svg");
    if (svg) svg.setAttribute("viewBox", "0 0 " + PRINT_WIDTH + " " + PRINT_SCURVE_HEIGHT);
  }

  // ---- start ----

  function start() {
    const source = document.getElementById("wallchart-data");
    if (!source) return;
    let data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      console.error("wallchart: the data is not valid JSON", e);
      return;
    }
    const labels = Object.assign({}, DEFAULT_LABELS, data.labels || {});
    const today = parseDate(data.today) || parseDate(isoDate(new Date()));
    const deadline = parseDate(data.deadline);
    const ctx = { data, labels, today, deadline, todayIso: isoDate(today) };

    viewButtons(labels);
    const ganttBox = document.getElementById("wallchart-gantt");
    if (ganttBox) {
      ctx.built = buildRows(data, labels, today);
      ctx.rows = ctx.built.rows;
      ctx.info = ctx.built.info;
      if (ctx.rows.length) {
        ctx.span = spanOf(ctx.rows, today, deadline);
        try {
          setupGantt(ganttBox, ctx);
        } catch (e) {
          console.error("wallchart: the Gantt could not be drawn", e);
        }
      }
    }
    const scurveBox = document.getElementById("wallchart-scurve");
    if (scurveBox) {
      try {
        setupScurve(scurveBox, ctx);
      } catch (e) {
        console.error("wallchart: the S-curve could not be drawn", e);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
