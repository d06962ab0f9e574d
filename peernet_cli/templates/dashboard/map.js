/* peernet maps (the network map and the Where page): pan, zoom and pinch, filters that zoom to
   what is left, search, a tooltip and a side panel over the page's inline SVG.
   Plain JavaScript, no libraries; reads its data from <script id="map-data">, whose "svg" entry
   names the SVG and which of its elements are nodes, lines and labels. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var cfg = data.svg || { id: "network-map", node: "g.node", edge: "line.edge", label: "" };
  var svg = document.getElementById(cfg.id);
  var viewport = svg.querySelector("#viewport");
  var frame = document.getElementById("map-frame");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var tooltip = document.getElementById("tooltip");
  var NARROW = window.matchMedia("(max-width: 800px)");
  var nodeEls = {}, labelEls = {}, tips = {};
  var edgeEls = Array.prototype.slice.call(svg.querySelectorAll(cfg.edge));
  var nodeList = Array.prototype.slice.call(svg.querySelectorAll(cfg.node));
  nodeList.forEach(function (el) {
    var id = el.getAttribute("data-id"), title = el.querySelector("title");
    nodeEls[id] = el;
    /* the tooltip shows the <title>'s text at once; the title goes, so the browser's own
       tooltip does not follow a second later */
    tips[id] = title ? title.textContent : (data.nodes[id] || {}).label || id;
    if (title) title.parentNode.removeChild(title);
    el.setAttribute("aria-label", tips[id]);
  });
  if (cfg.label) {
    svg.querySelectorAll(cfg.label).forEach(function (el) { labelEls[el.getAttribute("data-id")] = el; });
  }

  /* each node's box in the map's own units (with its label), measured once while all are shown */
  function translation(el) {
    var t = el.transform && el.transform.baseVal.consolidate();
    return t ? { x: t.matrix.e, y: t.matrix.f } : { x: 0, y: 0 };
  }
  var boxes = {}, centres = {}, transforms = {};
  nodeList.forEach(function (el) {
    var id = el.getAttribute("data-id"), b = el.getBBox(), t = translation(el);
    var shape = el.querySelector("rect, circle").getBBox();
    centres[id] = { x: shape.x + shape.width / 2 + t.x, y: shape.y + shape.height / 2 + t.y };
    transforms[id] = el.getAttribute("transform") || "";
    var box = { x0: b.x + t.x, y0: b.y + t.y, x1: b.x + b.width + t.x, y1: b.y + b.height + t.y };
    if (labelEls[id]) {
      var l = labelEls[id].getBBox();
      box = { x0: Math.min(box.x0, l.x), y0: Math.min(box.y0, l.y),
              x1: Math.max(box.x1, l.x + l.width), y1: Math.max(box.y1, l.y + l.height) };
    }
    boxes[id] = box;
  });

  /* --- pan and zoom: one transform on #viewport, in SVG user units --- */
  var view = { k: 1, x: 0, y: 0 };
  var MIN_K = 0.5, MAX_K = 12, FIT_MAX_K = 6;

  function apply() {
    viewport.setAttribute("transform",
      "translate(" + view.x.toFixed(2) + " " + view.y.toFixed(2) + ") scale(" + view.k.toFixed(4) + ")");
    sizeMarks();
  }

  /* Zoomed in past the drawing's own size, marks and names grow much more slowly than the map
     (as the 0.3 power of the magnification), so a zoomed-in map has room for its names; zoomed
     out, they shrink with it. Each node (and its label) is scaled about its own centre. */
  var markScale = 1;
  function sizeMarks() {
    var z = view.k * svg.getScreenCTM().a, s = z > 1 ? Math.pow(z, -0.7) : 1;
    if (Math.abs(s - markScale) < 0.005) return;
    markScale = s;
    nodeList.forEach(function (el) {
      var id = el.getAttribute("data-id"), c = centres[id];
      var about = "translate(" + c.x + " " + c.y + ") scale(" + s.toFixed(4) + ") translate(" + (-c.x) + " " + (-c.y) + ")";
      el.setAttribute("transform", (s === 1 ? "" : about + " ") + transforms[id]);
      if (labelEls[id]) labelEls[id].setAttribute("transform", s === 1 ? "" : about);
    });
  }

  function toUser(clientX, clientY) {
    var m = svg.getScreenCTM().inverse();
    return new DOMPoint(clientX, clientY).matrixTransform(m);
  }

  /* the part of the map the side panel leaves open, in screen pixels: on a wide screen the panel
     covers the right-hand side, on a phone the bottom */
  function openArea() {
    var r = svg.getBoundingClientRect(), a = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    if (!panel.hidden) {
      var p = panel.getBoundingClientRect();
      if (p.width > 0.7 * r.width) a.bottom = Math.min(a.bottom, p.top);
      else a.right = Math.min(a.right, p.left);
    }
    return a;
  }

  function centre() {
    var a = openArea();
    return toUser((a.left + a.right) / 2, (a.top + a.bottom) / 2);
  }

  /* pan just enough that a node is not hidden under the panel */
  function keepInView(id) {
    var box = nodeEls[id].querySelector("rect, circle").getBoundingClientRect(), a = openArea();
    var dx = box.right + 40 - a.right, dy = box.bottom + 40 - a.bottom;
    if (dx > 0) view.x -= dx / svg.getScreenCTM().a;
    if (dy > 0) view.y -= dy / svg.getScreenCTM().d;
    if (dx > 0 || dy > 0) apply();
  }

  function zoomAt(p, factor) {
    var k = Math.min(MAX_K, Math.max(MIN_K, view.k * factor));
    view.x = p.x - (p.x - view.x) * (k / view.k);
    view.y = p.y - (p.y - view.y) * (k / view.k);
    view.k = k;
    apply();
  }

  /* fit the view to these nodes' boxes (with their labels) in the open part of the map */
  function fitTo(ids) {
    if (!ids.length) return;
    var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    ids.forEach(function (id) {
      var o = boxes[id];
      b = { x0: Math.min(b.x0, o.x0), y0: Math.min(b.y0, o.y0), x1: Math.max(b.x1, o.x1), y1: Math.max(b.y1, o.y1) };
    });
    var a = openArea(), p0 = toUser(a.left, a.top), p1 = toUser(a.right, a.bottom);
    var k = 0.9 * Math.min((p1.x - p0.x) / Math.max(b.x1 - b.x0, 1), (p1.y - p0.y) / Math.max(b.y1 - b.y0, 1));
    view.k = Math.min(FIT_MAX_K, Math.max(MIN_K, k));
    view.x = (p0.x + p1.x) / 2 - (b.x0 + b.x1) / 2 * view.k;
    view.y = (p0.y + p1.y) / 2 - (b.y0 + b.y1) / 2 * view.k;
    apply();
  }

  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    zoomAt(toUser(ev.clientX, ev.clientY), Math.exp(-ev.deltaY * 0.0015));
  }, { passive: false });

  /* one pointer drags; two (fingers on a touch screen) pinch, zooming about their midpoint */
  var pointers = {}, drag = null, pinch = null, dragged = false;
  function pointerList() { return Object.keys(pointers).map(function (k) { return pointers[k]; }); }
  function startPinch() {
    var p = pointerList(), mid = toUser((p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2);
    pinch = { d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) || 1, k: view.k,
              cx: (mid.x - view.x) / view.k, cy: (mid.y - view.y) / view.k };
    drag = null;
  }
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.pointerType === "mouse" && ev.button !== 0) return;
    pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY };
    hideTip();
    if (pointerList().length === 2) { startPinch(); dragged = true; return; }
    drag = { p: toUser(ev.clientX, ev.clientY), x: view.x, y: view.y, cx: ev.clientX, cy: ev.clientY };
    dragged = false;
  });
  window.addEventListener("pointermove", function (ev) {
    if (!pointers[ev.pointerId]) return;
    pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY };
    if (pinch && pointerList().length >= 2) {
      var p = pointerList(), mid = toUser((p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2);
      var k = Math.min(MAX_K, Math.max(MIN_K, pinch.k * Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) / pinch.d));
      view = { k: k, x: mid.x - pinch.cx * k, y: mid.y - pinch.cy * k };
      apply();
      return;
    }
    if (!drag) return;
    if (!dragged && Math.abs(ev.clientX - drag.cx) + Math.abs(ev.clientY - drag.cy) < 4) return;
    if (!dragged) { dragged = true; svg.classList.add("dragging"); }
    var q = toUser(ev.clientX, ev.clientY);
    view.x = drag.x + (q.x - drag.p.x);
    view.y = drag.y + (q.y - drag.p.y);
    apply();
  });
  function pointerEnd(ev) {
    delete pointers[ev.pointerId];
    if (pointerList().length < 2) pinch = null;
    if (!pointerList().length) drag = null;
    svg.classList.remove("dragging");
  }
  window.addEventListener("pointerup", pointerEnd);
  window.addEventListener("pointercancel", pointerEnd);

  document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(centre(), 1.5); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(centre(), 1 / 1.5); });
  document.getElementById("zoom-reset").addEventListener("click", function () {
    view = { k: 1, x: 0, y: 0 };
    apply();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT") return;
    if (ev.key === "+" || ev.key === "=") zoomAt(centre(), 1.5);
    else if (ev.key === "-") zoomAt(centre(), 1 / 1.5);
    else if (ev.key === "Escape") closePanel();
  });

  /* --- tooltip: the node's name (and what its title said) beside the pointer --- */
  function hideTip() { tooltip.hidden = true; }
  nodeList.forEach(function (g) {
    g.addEventListener("pointerenter", function (ev) {
      if (drag && dragged) return;
      tooltip.textContent = tips[g.getAttribute("data-id")];
      tooltip.hidden = false;
      var f = frame.getBoundingClientRect(), x = ev.clientX - f.left + 12, y = ev.clientY - f.top + 14;
      if (x + tooltip.offsetWidth > f.width - 4) x = Math.max(4, ev.clientX - f.left - 12 - tooltip.offsetWidth);
      if (y + tooltip.offsetHeight > f.height - 4) y = Math.max(4, ev.clientY - f.top - 14 - tooltip.offsetHeight);
      tooltip.style.left = x + "px";
      tooltip.style.top = y + "px";
    });
    g.addEventListener("pointerleave", hideTip);
  });

  /* --- filters: state, partnership status, classification --- */
  var stateSel = document.getElementById("filter-state");
  function checked(name) {
    var out = {};
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) out[box.value] = true;
    });
    return out;
  }
  function allChecked(name) {
    return !document.querySelector('input[name="' + name + '"]:not(:checked)');
  }
  function filtering() {
    return !!stateSel.value || !allChecked("status") || !allChecked("classification");
  }

  /* show what passes the filters; with `fit`, zoom to it (or to the whole map when nothing is filtered) */
  function applyFilters(fit) {
    var state = stateSel.value, classes = checked("classification"), statuses = checked("status");
    var inState = {};
    if (state) {
      data.partnerships.forEach(function (s) {
        var b = data.nodes[s.brigade];
        if (b && b.state === state) { inState[s.brigade] = true; inState[s.partner] = true; }
      });
      Object.keys(data.nodes).forEach(function (id) {
        if (data.nodes[id].state === state) inState[id] = true;
      });
    }
    var pass = {};
    Object.keys(data.nodes).forEach(function (id) {
      var n = data.nodes[id];
      pass[id] = !!classes[n.classification] && (!state || !!inState[id]);
    });
    var shown = pass;
    if (!allChecked("status")) {
      shown = {};
      data.partnerships.forEach(function (s) {
        if (statuses[s.status] && pass[s.brigade] && pass[s.partner]) {
          shown[s.brigade] = true;
          shown[s.partner] = true;
        }
      });
    }
    var visible = [];
    nodeList.forEach(function (el) {
      var id = el.getAttribute("data-id"), on = !!shown[id];
      el.classList.toggle("hidden", !on);
      if (labelEls[id]) labelEls[id].classList.toggle("hidden", !on);
      if (on) visible.push(id);
    });
    edgeEls.forEach(function (el) {
      var ok = statuses[el.getAttribute("data-status")] && shown[el.getAttribute("data-source")] &&
        shown[el.getAttribute("data-target")];
      el.classList.toggle("hidden", !ok);
    });
    document.getElementById("visible-count").textContent = String(visible.length);
    if (!fit) return;
    if (filtering()) fitTo(visible);
    else { view = { k: 1, x: 0, y: 0 }; apply(); }
  }
  function refilter() { applyFilters(true); }

  function resetFilters() {
    stateSel.value = "";
    document.querySelectorAll('input[name="status"], input[name="classification"]').forEach(function (box) {
      box.checked = true;
    });
    applyFilters(true);
  }

  stateSel.addEventListener("change", refilter);
  document.querySelectorAll('input[name="status"], input[name="classification"]').forEach(function (box) {
    box.addEventListener("change", refilter);
  });
  function setClasses(value) {
    document.querySelectorAll('input[name="classification"]').forEach(function (box) { box.checked = value; });
    applyFilters(true);
  }
  document.getElementById("classes-all").addEventListener("click", function () { setClasses(true); });
  document.getElementById("classes-none").addEventListener("click", function () { setClasses(false); });
  document.getElementById("filters-reset").addEventListener("click", resetFilters);

  /* --- side panel: a node's partnerships --- */
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function closePanel() {
    panel.hidden = true;
    nodeList.forEach(function (n) { n.classList.remove("selected"); });
  }
  document.getElementById("panel-close").addEventListener("click", closePanel);

  function showPanel(id) {
    var n = data.nodes[id];
    if (!n) return;
    nodeList.forEach(function (g) { g.classList.toggle("selected", g.getAttribute("data-id") === id); });
    panelBody.textContent = "";
    panelBody.appendChild(el("h2", {}, n.label));
    var facts = n.kind === "brigade" ? "Brigade" : "Partner · " + n.classification;
    if (n.state) facts += " · " + n.state;
    if (!nodeEls[id]) facts += " · not on this map";
    panelBody.appendChild(el("p", { "class": "muted" }, facts));
    if (n.page) {
      var p = el("p");
      p.appendChild(el("a", { href: n.page }, "Brigade profile"));
      panelBody.appendChild(p);
    }
    var mine = data.partnerships.filter(function (s) { return s.brigade === id || s.partner === id; });
    panelBody.appendChild(el("h3", {}, "Partnerships (" + mine.length + ")"));
    var list = el("ul", { "class": "partnerships" });
    mine.forEach(function (s) {
      var otherId = s.brigade === id ? s.partner : s.brigade;
      var other = data.nodes[otherId];
      var li = el("li", { "data-partnership": s.id });
      var name = el("button", { type: "button", "class": "link other", "data-id": otherId }, other.label);
      name.addEventListener("click", function () { focusNode(otherId); });
      li.appendChild(name);
      var meta = el("div", { "class": "meta" });
      meta.appendChild(el("span", { "class": "status status-" + s.status }, s.status));
      meta.appendChild(document.createTextNode(" · " + s.kind));
      li.appendChild(meta);
      if (s.priorities.length) {
        var pr = el("ul", { "class": "priorities" });
        s.priorities.forEach(function (t) { pr.appendChild(el("li", {}, t)); });
        li.appendChild(pr);
      } else {
        li.appendChild(el("div", { "class": "muted" }, "No priorities recorded."));
      }
      list.appendChild(li);
    });
    if (!mine.length) panelBody.appendChild(el("p", { "class": "empty" }, "No partnerships recorded."));
    else panelBody.appendChild(list);
    panel.hidden = false;
  }

  nodeList.forEach(function (g) {
    g.addEventListener("click", function (ev) {
      if (dragged) return;
      ev.stopPropagation();
      hideTip();
      showPanel(g.getAttribute("data-id"));
      keepInView(g.getAttribute("data-id"));
    });
  });

  /* --- search: centre, highlight and open the matching node --- */
  function position(id) { return centres[id]; }

  function focusNode(id) {
    var g = nodeEls[id];
    if (!g) { showPanel(id); return; } /* an organisation this map cannot place */
    if (g.classList.contains("hidden")) resetFilters();
    nodeList.forEach(function (n) { n.classList.toggle("focused", n === g); });
    edgeEls.forEach(function (e) {
      e.classList.toggle("focused", e.getAttribute("data-source") === id || e.getAttribute("data-target") === id);
    });
    g.parentNode.appendChild(g); /* drawn last: on top of its neighbours */
    showPanel(id);
    view.k = Math.max(view.k, 2.5);
    var c = centre(), p = position(id);
    view.x = c.x - p.x * view.k;
    view.y = c.y - p.y * view.k;
    apply();
  }

  function find(text) {
    var q = text.trim().toLowerCase();
    if (!q) return null;
    var ids = Object.keys(data.nodes).sort();
    var exact = ids.filter(function (id) { return id === q || data.nodes[id].label.toLowerCase() === q; });
    if (exact.length) return exact[0];
    var starts = ids.filter(function (id) { return data.nodes[id].label.toLowerCase().indexOf(q) === 0; });
    if (starts.length) return starts[0];
    var part = ids.filter(function (id) {
      return data.nodes[id].label.toLowerCase().indexOf(q) >= 0 || id.indexOf(q) >= 0;
    });
    return part.length ? part[0] : null;
  }

  var message = document.getElementById("search-message");
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = document.getElementById("search").value;
    var id = find(text);
    message.textContent = id ? "" : "No organisation matches \u201c" + text.trim() + "\u201d.";
    if (id) focusNode(id);
  });

  /* on a phone the map comes first and the filters start folded; the frame takes the map's
     shape (within 300 px and 65% of the screen), so no band of it is empty */
  var filters = document.getElementById("filters");
  if (filters && NARROW.matches) filters.open = false;
  function sizeFrame() {
    var vb = svg.viewBox.baseVal;
    if (!NARROW.matches || !vb || !vb.width) { frame.style.height = ""; return; }
    var h = frame.clientWidth * vb.height / vb.width;
    frame.style.height = Math.round(Math.max(300, Math.min(h, window.innerHeight * 0.65))) + "px";
  }
  sizeFrame();
  window.addEventListener("resize", sizeFrame);

  applyFilters(false);
  apply();
  /* map.html#code-for-boston opens on that organisation (the brigade pages link so) */
  function focusHash() {
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    if (wanted && data.nodes[wanted]) focusNode(wanted);
  }
  focusHash();
  window.addEventListener("hashchange", focusHash);
  document.body.setAttribute("data-map-ready", "true");
})();
