/* The chipclass catalog page: reads the embedded JSON, builds the table, the map and
   the details with createElement and textContent only. No framework, no network. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("catalog-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var LABELS = data.labels;
  var editions = data.editions;
  var chips = data.chips;
  var state = {
    edition: editions.length ? editions[editions.length - 1].id : null,
    sort: null, // column key
    dir: 1,
    search: "",
    vendor: "",
    label: "",
    allColumns: true,
    open: {}
  };

  // ------------------------------------------------------------------ helpers

  /* Control characters and bidirectional overrides from a sheet are shown as escapes,
     never passed to the page as they are. */
  var CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  function clean(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(CONTROLS, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAll(node, attrs);
    append(node, children);
    return node;
  }

  function sv(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    setAll(node, attrs);
    append(node, children);
    return node;
  }

  function setAll(node, attrs) {
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    });
  }

  function append(node, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(clean(child)));
    });
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function isLink(url) {
    return /^https?:\/\/\S+$/i.test(url);
  }

  function link(url, text, ok) {
    if (ok && isLink(url)) {
      return el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, text);
    }
    return el("span", { class: "url" }, text);
  }

  function num(value, places) {
    if (value === null || value === undefined) return "?";
    var p = places === undefined ? 3 : places;
    var text = Number(value).toFixed(p).replace(/\.?0+$/, "");
    return text === "-0" ? "0" : text;
  }

  function signed(value, places) {
    if (value === null || value === undefined) return "?";
    var text = num(value, places);
    return value > 0 && text !== "0" ? "+" + text : text;
  }

  function unit(metric) {
    return /_gbs$/.test(metric) ? " GB/s" : "";
  }

  function badge(label, extra) {
    return el("span", { class: "badge " + label }, extra ? [label, extra] : label);
  }

  function verdictOf(chip, editionId) {
    var found = null;
    chip.result.verdicts.forEach(function (v) {
      if (v.edition === editionId) found = v;
    });
    return found;
  }

  function editionById(id) {
    return editions.filter(function (e) { return e.id === id; })[0] || null;
  }

  function displayName(chip) {
    return chip.result.chip.name;
  }

  function usAvailable(value) {
    if (value === false) return "never";
    if (value === null || value === undefined) return "unknown";
    return value;
  }

  function change(c) {
    if (!c) return null;
    return c.knob.replace(/_/g, " ") + " " + signed(c.change_pct, 2) + " % \u2192 " +
      c.label + " (" + c.clause + ")" + (c.strict ? ", strictly beyond" : "");
  }

  // ------------------------------------------------------------------ columns

  function metricColumn(key, title, metric) {
    return {
      key: key, title: title, numeric: true,
      value: function (c) { return c.result.metrics[metric]; },
      cell: function (c) { return c.page.shown[metric]; }
    };
  }

  function labelColumn(edition) {
    return {
      key: "label:" + edition.id, title: edition.id, edition: edition.id, numeric: true,
      value: function (c) {
        var v = verdictOf(c, edition.id);
        return v ? LABELS.indexOf(v.label) : null;
      },
      cell: function (c) {
        var v = verdictOf(c, edition.id);
        return v ? badge(v.label) : "?";
      }
    };
  }

  function columns() {
    var chosen = editions.filter(function (e) {
      return state.allColumns || e.id === state.edition;
    });
    return [
      { key: "name", title: "Chip", value: function (c) { return displayName(c).toLowerCase(); },
        cell: nameCell },
      { key: "vendor", title: "Vendor", value: function (c) { return c.result.chip.vendor.toLowerCase(); },
        cell: function (c) { return c.result.chip.vendor; } },
      metricColumn("tpp", "TPP", "tpp"),
      metricColumn("density", "Density", "performance_density"),
      metricColumn("memory", "Memory GB/s", "memory_bandwidth_gbs"),
      metricColumn("io", "I/O GB/s", "io_bandwidth_gbs"),
      { key: "us_available", title: "US available",
        /* dates in order, then never sold there; unknown last */
        value: function (c) {
          var u = c.page.us_available;
          return u === false ? "9999-99-99 never" : u === null ? null : u;
        },
        cell: function (c) { return usAvailable(c.page.us_available); } }
    ].concat(chosen.map(labelColumn)).concat([
      { key: "variant_of", title: "Variant of",
        value: function (c) { return c.result.chip.variant_of || null; },
        cell: function (c) { return c.result.chip.variant_of || ""; } },
      { key: "tailoring", title: "Tailoring margin", numeric: true,
        value: function (c) { return c.page.tailoring ? c.page.tailoring.change_pct : null; },
        cell: function (c) { return c.page.tailoring ? c.page.tailoring.text : ""; } }
    ]);
  }

  function nameCell(chip) {
    var id = chip.result.chip.id;
    var button = el("button", {
      type: "button", class: "chip-name", "aria-expanded": state.open[id] ? "true" : "false",
      "aria-controls": "detail-" + id
    }, displayName(chip));
    button.addEventListener("click", function () { toggle(id); });
    return [button, chip.page.estimated ? el("span", { class: "estimate" }, "estimate") : null,
      el("div", { class: "chip-id" }, id)];
  }

  // ------------------------------------------------------------------ the table

  function visible(chip) {
    var name = (displayName(chip) + " " + chip.result.chip.id).toLowerCase();
    if (state.search && name.indexOf(state.search.toLowerCase()) < 0) return false;
    if (state.vendor && chip.result.chip.vendor !== state.vendor) return false;
    if (state.label) {
      var v = verdictOf(chip, state.edition);
      if (!v || v.label !== state.label) return false;
    }
    return true;
  }

  function compare(column) {
    return function (a, b) {
      var x = column.value(a), y = column.value(b);
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1; // unknowns last, either way
      if (x < y) return -state.dir;
      if (x > y) return state.dir;
      return 0;
    };
  }

  function ordered() {
    var list = chips.slice();
    var column = columns().filter(function (c) { return c.key === state.sort; })[0];
    if (column) {
      var by = compare(column);
      list = list.map(function (c, i) { return [c, i]; }).sort(function (p, q) {
        return by(p[0], q[0]) || p[1] - q[1];
      }).map(function (p) { return p[0]; });
    }
    return list;
  }

  function renderHead(cols) {
    var head = document.querySelector("#chips thead");
    clear(head);
    var row = el("tr");
    cols.forEach(function (column) {
      var sorted = state.sort === column.key;
      var th = el("th", {
        scope: "col",
        class: (column.numeric && !column.edition ? "num" : "") + (column.edition ? " edition" : "") +
          (column.edition === state.edition ? " current" : ""),
        "aria-sort": sorted ? (state.dir > 0 ? "ascending" : "descending") : "none"
      });
      var button = el("button", { type: "button", "data-sort": column.key },
        [column.title, el("span", { class: "arrow", "aria-hidden": "true" },
          sorted ? (state.dir > 0 ? " \u25b2" : " \u25bc") : "")]);
      button.addEventListener("click", function () { sortBy(column.key); });
      th.appendChild(button);
      row.appendChild(th);
    });
    head.appendChild(row);
  }

  function renderTable() {
    var cols = columns();
    renderHead(cols);
    var body = document.querySelector("#chips tbody");
    clear(body);
    var shown = 0;
    ordered().forEach(function (chip) {
      if (!visible(chip)) return;
      shown += 1;
      var id = chip.result.chip.id;
      var row = el("tr", { "data-chip": id, "data-tpp": chip.result.metrics.tpp });
      cols.forEach(function (column) {
        var cls = (column.numeric && !column.edition && column.key !== "tailoring" ? "num" : "") +
          (column.edition === state.edition ? " current" : "") +
          (column.key === "tailoring" ? " tailoring" : "");
        row.appendChild(el(column.key === "name" ? "th" : "td",
          column.key === "name" ? { scope: "row", class: cls } : { class: cls }, column.cell(chip)));
      });
      body.appendChild(row);
      if (state.open[id]) {
        body.appendChild(el("tr", { class: "detail", id: "detail-" + id },
          el("td", { colspan: cols.length }, detail(chip))));
      }
    });
    document.getElementById("count").textContent = shown + " of " + chips.length + " chips";
    renderPoints();
  }

  function sortBy(key) {
    if (state.sort === key) state.dir = -state.dir;
    else { state.sort = key; state.dir = 1; }
    renderTable();
  }

  function toggle(id) {
    state.open[id] = !state.open[id];
    renderTable();
  }

  // ------------------------------------------------------------------ details

  function detail(chip) {
    var r = chip.result, p = chip.page;
    var v = verdictOf(chip, state.edition);
    var facts = el("dl", { class: "facts" });
    function fact(term, value) {
      facts.appendChild(el("dt", null, term));
      facts.appendChild(el("dd", null, value));
    }
    fact("id", r.chip.id);
    fact("sheet", r.file);
    fact("released", p.released || "unknown");
    fact("first available in the US", usAvailable(p.us_available));
    fact("marketed for datacenters", r.chip.datacenter ? "yes" : "no");
    if (p.estimated) fact("figures", el("span", { class: "estimate" }, "estimate"));
    if (r.tpp_precision) fact("TPP set by", r.tpp_precision);
    if (r.tf32_tpp_19bit !== undefined) fact("TPP if TF32 counted 19 bits", num(r.tf32_tpp_19bit));
    var parts = [el("h3", null, [displayName(chip), p.estimated ? " (estimate)" : ""]), facts];
    (r.notes || []).forEach(function (n) { parts.push(el("p", { class: "note" }, n)); });
    if (v) {
      parts.push(el("h4", null, ["Under " + v.edition + ": ", badge(v.label)]));
      if (v.clauses.length) parts.push(el("p", null, "decided by " + v.clauses.join(", ")));
      if (v.possible_labels) {
        parts.push(el("p", null, "could be " + v.possible_labels.join(" or ") +
          "; unknown: " + v.unknown_metrics.join(", ")));
      }
      parts.push(thresholds(v));
      parts.push(el("p", null, ["Nearest stricter: ",
        change(v.nearest_stricter) || "none (no single knob makes it stricter)"]));
      parts.push(el("p", null, ["Nearest laxer: ",
        change(v.nearest_laxer) || "none (no single knob makes it laxer)"]));
    }
    if (p.notes) parts.push(el("p", { class: "sheet-notes" }, p.notes));
    var sources = el("ul", { class: "sources" });
    p.sources.forEach(function (s) {
      sources.appendChild(el("li", null, [link(s.url, s.url, s.link), s.note ? ": " + s.note : ""]));
    });
    parts.push(el("h4", null, "Sources"));
    parts.push(p.sources.length ? sources : el("p", null, "none given"));
    return el("div", { class: "detail-body" }, parts);
  }

  function thresholds(v) {
    var table = el("table", { class: "thresholds" });
    var head = el("tr");
    ["clause", "condition", "value", "margin", "margin %", "met", "in scope"].forEach(function (t, i) {
      head.appendChild(el("th", { scope: "col", class: i >= 2 && i <= 4 ? "num" : "" }, t));
    });
    table.appendChild(el("thead", null, head));
    var body = el("tbody");
    v.thresholds.forEach(function (t) {
      var met = t.met === null ? "unknown" : t.met ? "met" : "not met";
      body.appendChild(el("tr", null, [
        el("td", null, t.clause),
        el("td", null, (data.words.metrics[t.metric] || t.metric) + " " +
          (data.words.ops[t.op] || t.op) + " " + num(t.threshold) + unit(t.metric)),
        el("td", { class: "num" }, num(t.value)),
        el("td", { class: "num" }, signed(t.margin)),
        el("td", { class: "num" }, t.margin_pct === null ? "?" : signed(t.margin_pct, 2) + " %"),
        el("td", { class: "met " + met.replace(" ", "-") }, met),
        el("td", null, t.in_scope ? "yes" : "no")
      ]));
    });
    table.appendChild(body);
    return table;
  }

  // ------------------------------------------------------------------ the map

  var SHAPES = {
    "exportable": function (x, y) { return sv("circle", { cx: x, cy: y, r: 5 }); },
    "license-required": function (x, y) {
      return sv("rect", { x: x - 4.5, y: y - 4.5, width: 9, height: 9 });
    },
    "restricted": function (x, y) {
      return sv("path", { d: "M" + x + " " + (y - 6) + "L" + (x + 6) + " " + y + "L" + x + " " +
        (y + 6) + "L" + (x - 6) + " " + y + "Z" });
    },
    "indeterminate": function (x, y) { return sv("circle", { cx: x, cy: y, r: 5, class: "hollow" }); }
  };

  function marker(label, x, y) {
    var shape = (SHAPES[label] || SHAPES.indeterminate)(x, y);
    var colour = data.map.colours[label] || "#888";
    shape.setAttribute("fill", label === "indeterminate" ? "#fff" : colour);
    shape.setAttribute("stroke", label === "indeterminate" ? colour : "#222");
    shape.setAttribute("stroke-width", label === "indeterminate" ? "1.8" : "0.8");
    return shape;
  }

  function buildMap() {
    var m = data.map, host = document.getElementById("map");
    if (!m.plane) { host.appendChild(el("p", null, "No chips to draw.")); return; }
    var root = sv("svg", { viewBox: "0 0 " + m.width + " " + m.height, role: "group",
      "aria-labelledby": "map-title", "aria-describedby": "map-subtitle", id: "map-svg" });
    var defs = sv("defs");
    var pattern = sv("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)" }, sv("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#C9866B",
      "stroke-width": 1.2 }));
    var head = sv("marker", { id: "arrowhead", viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      sv("path", { d: "M0 0L10 5L0 10z", fill: "#4a6fa5" }));
    defs.appendChild(pattern);
    defs.appendChild(head);
    root.appendChild(defs);
    [m.plane, m.strip].forEach(function (f) {
      root.appendChild(sv("rect", { x: f.x, y: f.y, width: f.w, height: f.h, class: "frame" }));
    });
    var grid = sv("g", { class: "grid" });
    m.xticks.forEach(function (t) {
      grid.appendChild(sv("line", { x1: t.at, x2: t.at, y1: m.plane.y, y2: m.strip.y + m.strip.h }));
      grid.appendChild(sv("text", { x: t.at, y: m.strip.y + m.strip.h + 14, class: "tick",
        "text-anchor": "middle" }, t.text));
    });
    m.yticks.forEach(function (t) {
      grid.appendChild(sv("line", { x1: m.plane.x, x2: m.plane.x + m.plane.w, y1: t.at, y2: t.at }));
      grid.appendChild(sv("text", { x: m.plane.x - 5, y: t.at + 3.5, class: "tick",
        "text-anchor": "end" }, t.text));
    });
    root.appendChild(sv("g", { id: "regions" }));
    root.appendChild(grid);
    root.appendChild(sv("text", { x: m.plane.x + m.plane.w / 2, y: m.height - 6, class: "axis",
      "text-anchor": "middle" }, "TPP (dense TOPS \u00d7 bit length, log scale)"));
    root.appendChild(sv("text", { x: 12, y: m.plane.y + m.plane.h / 2, class: "axis",
      "text-anchor": "middle", transform: "rotate(-90 12 " + (m.plane.y + m.plane.h / 2) + ")" },
      "density (TPP per mm\u00b2, log scale)"));
    root.appendChild(sv("text", { x: m.strip.x + 4, y: m.strip.y + 11, class: "strip-title" },
      "density unknown"));
    root.appendChild(sv("g", { id: "thresholds" }));
    var arrows = sv("g", { class: "arrows" });
    m.arrows.forEach(function (a) {
      arrows.appendChild(sv("path", { d: a.path, "marker-end": "url(#arrowhead)",
        "data-from": a.from, "data-to": a.to }));
    });
    root.appendChild(arrows);
    root.appendChild(sv("g", { id: "points" }));
    host.appendChild(root);
  }

  function renderEditionMap() {
    var m = data.map, e = m.editions && m.editions[state.edition];
    var regions = document.getElementById("regions"), lines = document.getElementById("thresholds");
    if (!regions || !e) return;
    clear(regions);
    clear(lines);
    e.cells.concat(e.strip).forEach(function (c) {
      var attrs = { x: c.x, y: c.y, width: c.w, height: c.h, fill: m.shades[c.label] || "#ddd",
        class: "region", "data-group": c.group };
      regions.appendChild(sv("rect", attrs));
      if (c.hatch) {
        regions.appendChild(sv("rect", { x: c.x, y: c.y, width: c.w, height: c.h,
          fill: "url(#hatch)", class: "hatch" }));
      }
    });
    e.lines.forEach(function (ln) {
      var words = ln.text + " (" + ln.clauses + ")";
      if (ln.axis === "x") {
        lines.appendChild(sv("line", { x1: ln.at, x2: ln.at, y1: m.plane.y,
          y2: m.strip.y + m.strip.h, class: "threshold" }));
        lines.appendChild(sv("text", { x: ln.at - 3, y: m.plane.y + 4, class: "line-name",
          "text-anchor": "end", transform: "rotate(-90 " + (ln.at - 3) + " " + (m.plane.y + 4) + ")"
        }, words));
      } else {
        lines.appendChild(sv("line", { x1: m.plane.x, x2: m.plane.x + m.plane.w, y1: ln.at,
          y2: ln.at, class: "threshold" }));
        lines.appendChild(sv("text", { x: m.plane.x + m.plane.w - 4, y: ln.at - 3,
          class: "line-name", "text-anchor": "end" }, words));
      }
    });
    var ed = editionById(state.edition);
    document.getElementById("map-title").textContent = "The 3A090 map under " + clean(ed.id) +
      " (" + clean(ed.citation) + ", effective " + ed.effective +
      (ed.status === "published" ? "" : ", " + clean(ed.status)) + ")";
    document.getElementById("map-subtitle").textContent = clean(e.subtitle);
    document.getElementById("map-footnotes").textContent = clean(e.footnotes);
    renderLegend(e);
  }

  function renderLegend(e) {
    var legend = document.getElementById("legend");
    clear(legend);
    LABELS.forEach(function (label) {
      var icon = sv("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" },
        marker(label, 8, 8));
      legend.appendChild(el("span", { class: "key" }, [icon, " ", badge(label)]));
    });
    e.legend.forEach(function (g) {
      var swatch = el("span", { class: "swatch" + (g.hatch ? " hatched" : "") });
      swatch.style.background = data.map.shades[g.label] || "#ddd";
      legend.appendChild(el("span", { class: "key" }, [swatch, " " + g.group + " region \u2192 " +
        g.label + (g.needs ? " (with " + g.needs + ")" : "")]));
    });
    var arrow = sv("svg", { width: 26, height: 12, viewBox: "0 0 26 12", "aria-hidden": "true" },
      sv("path", { d: "M1 6H19", stroke: "#4a6fa5", "stroke-width": 1.2,
        "marker-end": "url(#arrowhead)" }));
    legend.appendChild(el("span", { class: "key" }, [arrow, " parent \u2192 tailored variant"]));
    var dashed = sv("svg", { width: 26, height: 12, viewBox: "0 0 26 12", "aria-hidden": "true" },
      sv("line", { x1: 1, y1: 6, x2: 25, y2: 6, class: "threshold", stroke: "#555",
        "stroke-dasharray": "5 3" }));
    legend.appendChild(el("span", { class: "key" }, [dashed, " threshold"]));
  }

  function renderPoints() {
    var layer = document.getElementById("points");
    if (!layer) return;
    clear(layer);
    chips.forEach(function (chip) {
      var at = chip.page.map;
      if (!at) return;
      var v = verdictOf(chip, state.edition);
      var label = v ? v.label : "indeterminate";
      var id = chip.result.chip.id;
      var tip = clean(displayName(chip)) + (chip.page.estimated ? " (estimate)" : "") + ": " +
        label + " under " + state.edition + "; TPP " + chip.page.shown.tpp + ", density " +
        chip.page.shown.performance_density;
      var g = sv("g", { class: "point" + (visible(chip) ? "" : " dim"), "data-chip": id,
        "data-label": label, tabindex: 0, role: "button", "aria-label": tip });
      if (at.leader) {
        g.appendChild(sv("line", { x1: at.leader[0], y1: at.leader[1], x2: at.leader[2],
          y2: at.leader[3], class: "leader" }));
      }
      g.appendChild(marker(label, at.x, at.y));
      g.appendChild(sv("text", { x: at.tx, y: at.ty, "text-anchor": at.anchor, class: "name" },
        at.name));
      function show(event) { tooltip(tip, event, g); }
      g.addEventListener("mouseenter", show);
      g.addEventListener("focus", show);
      g.addEventListener("mouseleave", hideTip);
      g.addEventListener("blur", hideTip);
      g.addEventListener("click", function () { openRow(id); });
      g.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openRow(id); }
      });
      layer.appendChild(g);
    });
  }

  function tooltip(text, event, target) {
    var tip = document.getElementById("tooltip");
    tip.textContent = text;
    tip.hidden = false;
    var box = target.getBoundingClientRect();
    var x = event && event.clientX ? event.clientX : box.left + box.width / 2;
    var y = event && event.clientY ? event.clientY : box.top;
    tip.style.left = (x + window.scrollX + 12) + "px";
    tip.style.top = (y + window.scrollY - 30) + "px";
  }

  function hideTip() { document.getElementById("tooltip").hidden = true; }

  function openRow(id) {
    state.open[id] = true;
    renderTable();
    var row = document.querySelector('tr[data-chip="' + id.replace(/[^a-z0-9.-]/g, "") + '"]');
    if (row && row.scrollIntoView) row.scrollIntoView({ block: "center" });
  }

  // ------------------------------------------------------------------ editions, controls

  function renderEditions() {
    var table = document.getElementById("editions");
    var head = el("tr");
    ["Edition", "Title", "Citation", "Effective", "Status", "Destination"].concat(LABELS)
      .forEach(function (t) { head.appendChild(el("th", { scope: "col" }, t)); });
    table.querySelector("thead").appendChild(head);
    var body = table.querySelector("tbody");
    editions.forEach(function (e) {
      var counts = LABELS.map(function (label) {
        return chips.filter(function (c) {
          var v = verdictOf(c, e.id);
          return v && v.label === label;
        }).length;
      });
      var title = el("details", null, [el("summary", null, e.title), el("p", null, e.summary)]);
      body.appendChild(el("tr", { "data-edition": e.id }, [
        el("th", { scope: "row", class: "nowrap" }, e.id), el("td", null, title),
        el("td", { class: "nowrap" }, link(e.url, e.citation, e.link)),
        el("td", { class: "nowrap" }, e.effective),
        el("td", null, e.status === "published" ? e.status : el("strong", null, e.status)),
        el("td", null, e.destination)
      ].concat(counts.map(function (n) { return el("td", { class: "num" }, String(n)); }))));
    });
  }

  function setupControls() {
    var select = document.getElementById("edition");
    editions.forEach(function (e) {
      select.appendChild(el("option", { value: e.id, selected: e.id === state.edition },
        e.id + " (" + e.effective + ")"));
    });
    select.addEventListener("change", function () {
      state.edition = select.value;
      editionNote();
      renderEditionMap();
      renderTable();
    });
    var vendor = document.getElementById("vendor");
    vendor.appendChild(el("option", { value: "" }, "any"));
    chips.map(function (c) { return c.result.chip.vendor; })
      .filter(function (v, i, all) { return all.indexOf(v) === i; }).sort()
      .forEach(function (v) { vendor.appendChild(el("option", { value: v }, v)); });
    vendor.addEventListener("change", function () { state.vendor = vendor.value; renderTable(); });
    var label = document.getElementById("label");
    label.appendChild(el("option", { value: "" }, "any (under the edition chosen)"));
    LABELS.forEach(function (l) { label.appendChild(el("option", { value: l }, l)); });
    label.addEventListener("change", function () { state.label = label.value; renderTable(); });
    var search = document.getElementById("search");
    search.addEventListener("input", function () { state.search = search.value; renderTable(); });
    var all = document.getElementById("all-columns");
    all.addEventListener("change", function () { state.allColumns = all.checked; renderTable(); });
  }

  function editionNote() {
    var e = editionById(state.edition);
    var note = document.getElementById("edition-note");
    clear(note);
    if (!e) return;
    append(note, [e.citation + ", effective " + e.effective + ", " + e.status + ". ",
      "The map, the label filter and the details follow this edition."]);
  }

  function summary() {
    var destinations = [];
    chips.forEach(function (c) {
      c.result.verdicts.forEach(function (v) {
        if (destinations.indexOf(v.destination) < 0) destinations.push(v.destination);
      });
    });
    document.getElementById("summary").textContent = chips.length + " chips classified under " +
      editions.length + " rule editions of ECCN 3A090" +
      (destinations.length ? ", for export to " + clean(destinations.join(", ")) : "") +
      " (each edition's reach is in the editions table below). Generated " + data.generated +
      " by chipclass " + clean(data.chipclass) + ".";
    document.getElementById("generated").textContent = "Generated " + data.generated +
      " by chipclass " + clean(data.chipclass) +
      " (chipclass report PATH... --format html -o FILE.html). Labels are the tool's reading" +
      " of the rules, not legal advice.";
    if (data.errors.length) {
      var list = document.getElementById("errors");
      data.errors.forEach(function (e) { list.appendChild(el("li", null, e.file + ": " + e.message)); });
      document.getElementById("errors-section").hidden = false;
    }
  }

  /* The boxes the browser drew the map's chip names and threshold names in, in the
     drawing's units (for the browser test that no name sits on another, a marker or an
     arrow). */
  function drawnBoxes() {
    var root = document.getElementById("map-svg");
    if (!root) return [];
    var frame = root.getBoundingClientRect(), scale = data.map.width / frame.width;
    return Array.prototype.map.call(root.querySelectorAll("text.name, text.line-name"),
      function (t) {
        var r = t.getBoundingClientRect();
        var g = t.closest("g[data-chip]");
        return { chip: g ? g.getAttribute("data-chip") : null, text: t.textContent,
          box: [(r.left - frame.left) * scale, (r.top - frame.top) * scale,
            (r.right - frame.left) * scale, (r.bottom - frame.top) * scale] };
      });
  }

  /* A self-test hook for the browser tests: #test-edition=ID&test-label=L&test-vendor=V&
     test-search=S&test-sort=KEY&test-open=ID drives the page through its own controls (in
     that order) and writes the outcome into #self-test; test-boxes adds the map's name
     boxes. */
  function selfTest() {
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("test-") !== 0) return;
    var asked = {};
    hash.split("&").forEach(function (part) {
      var pair = part.split("=");
      asked[decodeURIComponent(pair[0])] = decodeURIComponent(pair[1] || "");
    });
    if (asked["test-edition"]) {
      var select = document.getElementById("edition");
      select.value = asked["test-edition"];
      select.dispatchEvent(new Event("change"));
    }
    [["test-label", "label"], ["test-vendor", "vendor"]].forEach(function (pair) {
      if (asked[pair[0]] === undefined) return;
      var control = document.getElementById(pair[1]);
      control.value = asked[pair[0]];
      control.dispatchEvent(new Event("change"));
    });
    if (asked["test-search"] !== undefined) {
      var search = document.getElementById("search");
      search.value = asked["test-search"];
      search.dispatchEvent(new Event("input"));
    }
    if (asked["test-sort"]) {
      var button = document.querySelector('button[data-sort="' +
        asked["test-sort"].replace(/[^a-z_:0-9.-]/g, "") + '"]');
      if (button) button.click();
    }
    if (asked["test-open"]) toggle(asked["test-open"]);
    var rows = Array.prototype.map.call(document.querySelectorAll("#chips tbody tr[data-chip]"),
      function (r) { return r.getAttribute("data-chip"); });
    var out = document.getElementById("self-test");
    var report = { edition: state.edition, sort: state.sort, rows: rows };
    if (asked["test-boxes"] !== undefined) report.boxes = drawnBoxes();
    out.textContent = JSON.stringify(report);
    out.setAttribute("data-done", "true");
  }

  setupControls();
  summary();
  editionNote();
  buildMap();
  renderEditionMap();
  renderEditions();
  renderTable();
  selfTest();
})();
