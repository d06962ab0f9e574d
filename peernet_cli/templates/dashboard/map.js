/* peernet network map: pan, zoom, filters, search and a side panel over the inline SVG.
   Plain JavaScript, no libraries; reads its data from <script id="map-data">. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var svg = document.getElementById("network-map");
  var viewport = document.getElementById("viewport");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var nodeEls = {};
  var edgeEls = Array.prototype.slice.call(svg.querySelectorAll("line.edge"));
  var nodeList = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
  nodeList.forEach(function (el) { nodeEls[el.getAttribute("data-id")] = el; });

  /* --- pan and zoom: one transform on #viewport, in SVG user units --- */
  var view = { k: 1, x: 0, y: 0 };
  var MIN_K = 0.5, MAX_K = 12;

  function apply() {
    viewport.setAttribute("transform",
      "translate(" + view.x.toFixed(2) + " " + view.y.toFixed(2) + ") scale(" + view.k.toFixed(4) + ")");
  }

  function toUser(clientX, clientY) {
    var m = svg.getScreenCTM().inverse();
    return new DOMPoint(clientX, clientY).matrixTransform(m);
  }

  /* the part of the map not covered by the side panel, in screen pixels */
  function openArea() {
    var r = svg.getBoundingClientRect(), right = r.right;
    if (!panel.hidden) right = Math.min(right, panel.getBoundingClientRect().left);
    return { left: r.left, top: r.top, right: right, bottom: r.bottom };
  }

  function centre() {
    var a = openArea();
    return toUser((a.left + a.right) / 2, (a.top + a.bottom) / 2);
  }

  /* pan just enough that a node is not hidden under the panel */
  function keepInView(id) {
    var box = nodeEls[id].querySelector("rect, circle").getBoundingClientRect(), a = openArea();
    var shift = box.right + 40 - a.right;
    if (shift > 0) {
      view.x -= shift / svg.getScreenCTM().a;
      apply();
    }
  }

  function zoomAt(p, factor) {
    var k = Math.min(MAX_K, Math.max(MIN_K, view.k * factor));
    view.x = p.x - (p.x - view.x) * (k / view.k);
    view.y = p.y - (p.y - view.y) * (k / view.k);
    view.k = k;
    apply();
  }

  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    zoomAt(toUser(ev.clientX, ev.clientY), Math.exp(-ev.deltaY * 0.0015));
  }, { passive: false });

  var drag = null, dragged = false;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    drag = { p: toUser(ev.clientX, ev.clientY), x: view.x, y: view.y, cx: ev.clientX, cy: ev.clientY };
    dragged = false;
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    if (!dragged && Math.abs(ev.clientX - drag.cx) + Math.abs(ev.clientY - drag.cy) < 4) return;
    if (!dragged) { dragged = true; svg.classList.add("dragging"); }
    var p = toUser(ev.clientX, ev.clientY);
    view.x = drag.x + (p.x - drag.p.x);
    view.y = drag.y + (p.y - drag.p.y);
    apply();
  });
  window.addEventListener("pointerup", function () {
    drag = null;
    svg.classList.remove("dragging");
  });

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

  function applyFilters() {
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
    var count = 0;
    nodeList.forEach(function (el) {
      var visible = !!shown[el.getAttribute("data-id")];
      el.classList.toggle("hidden", !visible);
      if (visible) count += 1;
    });
    edgeEls.forEach(function (el) {
      var ok = statuses[el.getAttribute("data-status")] && shown[el.getAttribute("data-source")] &&
        shown[el.getAttribute("data-target")];
      el.classList.toggle("hidden", !ok);
    });
    document.getElementById("visible-count").textContent = String(count);
  }

  function resetFilters() {
    stateSel.value = "";
    document.querySelectorAll('input[name="status"], input[name="classification"]').forEach(function (box) {
      box.checked = true;
    });
    applyFilters();
  }

  stateSel.addEventListener("change", applyFilters);
  document.querySelectorAll('input[name="status"], input[name="classification"]').forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
  function setClasses(value) {
    document.querySelectorAll('input[name="classification"]').forEach(function (box) { box.checked = value; });
    applyFilters();
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
      showPanel(g.getAttribute("data-id"));
      keepInView(g.getAttribute("data-id"));
    });
  });

  /* --- search: centre, highlight and open the matching node --- */
  function position(id) {
    var m = nodeEls[id].transform.baseVal.consolidate().matrix;
    return { x: m.e, y: m.f };
  }

  function focusNode(id) {
    var g = nodeEls[id];
    if (!g) return;
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

  applyFilters();
  apply();
  var wanted = decodeURIComponent(window.location.hash.slice(1));
  if (wanted && nodeEls[wanted]) focusNode(wanted);
  document.body.setAttribute("data-map-ready", "true");
})();
