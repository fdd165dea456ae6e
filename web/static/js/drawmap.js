// Region administration: a region's outline drawn on the map of its neighbours
// (editMap in mapsvg.go). A click on the map adds a vertex where it lengthens the
// outline least (so clicking around a grid draws it, and a click beside an edge bends
// that edge); a vertex is dragged to move it, clicked to select it, and the selected one
// deleted with its button or the Delete key. The outline is the GeoJSON Polygon in the
// form's textarea, which the server checks when it is saved; the textarea, edited or
// pasted into, redraws the outline.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  document.querySelectorAll("figure.draw-map").forEach(function (fig) {
    var svg = fig.querySelector("svg.map");
    var text = document.getElementById(fig.dataset.target);
    if (!svg || !text) { return; }
    var d = svg.dataset, kx = +d.kx, scale = +d.scale, pad = +d.pad, minlon = +d.minlon, maxlat = +d.maxlat;
    var toXY = function (p) { return [pad + (p[0] - minlon) * kx * scale, pad + (maxlat - p[1]) * scale]; };
    var toLonLat = function (x, y) { return [minlon + (x - pad) / (kx * scale), maxlat - (y - pad) / scale]; };
    var pts = [], history = [], selected = -1, drag = -1, moved = false;
    var layer = document.createElementNS(NS, "g");
    layer.setAttribute("class", "draft");
    svg.appendChild(layer);
    var del = fig.querySelector("[data-draw=delete]"), count = fig.querySelector(".draw-count");

    function read() { // the first ring of the textarea's polygon, without its closing point
      pts = [];
      try {
        var g = JSON.parse(text.value);
        var ring = g.type === "Polygon" ? g.coordinates[0] : g.type === "MultiPolygon" ? g.coordinates[0][0] : [];
        pts = ring.slice(0, ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? -1 : ring.length)
          .map(function (p) { return [+p[0], +p[1]]; });
      } catch (e) { pts = []; }
    }
    function write() {
      if (pts.length === 0) { text.value = ""; return; }
      var ring = pts.concat([pts[0]]).map(function (p) { return [+p[0].toFixed(6), +p[1].toFixed(6)]; });
      text.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    }
    function draw() {
      while (layer.firstChild) { layer.removeChild(layer.firstChild); }
      var xy = pts.map(toXY);
      if (xy.length > 1) {
        var poly = document.createElementNS(NS, xy.length > 2 ? "polygon" : "polyline");
        poly.setAttribute("points", xy.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "));
        poly.setAttribute("class", "draft-outline");
        poly.setAttribute("fill", "rgba(31,95,153,.18)"); poly.setAttribute("stroke", "#1f5f99"); poly.setAttribute("stroke-width", "2.5");
        layer.appendChild(poly);
      }
      xy.forEach(function (p, i) {
        var c = document.createElementNS(NS, "circle");
        c.setAttribute("class", "vertex" + (i === selected ? " selected" : ""));
        c.setAttribute("cx", p[0].toFixed(1)); c.setAttribute("cy", p[1].toFixed(1)); c.setAttribute("r", i === selected ? "9" : "7");
        c.setAttribute("fill", i === selected ? "#c0392b" : "#fff"); c.setAttribute("stroke", "#1f5f99"); c.setAttribute("stroke-width", "2.5");
        c.dataset.i = i;
        layer.appendChild(c);
      });
      if (del) { del.disabled = selected < 0; }
      if (count) { count.textContent = (count.dataset.count || "%d").replace("%d", pts.length); }
    }
    function change(fn) {
      history.push(JSON.stringify(pts));
      fn();
      write(); draw();
    }
    function svgPoint(e) {
      var pt = svg.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      return pt.matrixTransform(svg.getScreenCTM().inverse());
    }
    // where a new vertex goes: after the vertex whose edge it lengthens least
    function insertAt(p) {
      if (pts.length < 3) { return pts.length; }
      var xy = pts.map(toXY), best = 0, cost = Infinity;
      var dist = function (a, b) { return Math.hypot(a[0] - b[0], a[1] - b[1]); };
      for (var i = 0; i < xy.length; i++) {
        var a = xy[i], b = xy[(i + 1) % xy.length], c = dist(a, p) + dist(p, b) - dist(a, b);
        if (c < cost) { cost = c; best = i + 1; }
      }
      return best;
    }
    svg.addEventListener("pointerdown", function (e) {
      var v = e.target.closest && e.target.closest("circle.vertex");
      if (!v) { return; }
      e.preventDefault();
      drag = +v.dataset.i; moved = false;
      history.push(JSON.stringify(pts));
      svg.setPointerCapture(e.pointerId);
    });
    svg.addEventListener("pointermove", function (e) {
      if (drag < 0) { return; }
      var p = svgPoint(e);
      pts[drag] = toLonLat(p.x, p.y); moved = true;
      draw();
    });
    svg.addEventListener("pointerup", function () {
      if (drag < 0) { return; }
      if (moved) { write(); } else { history.pop(); selected = selected === drag ? -1 : drag; }
      drag = -1;
      draw();
      svg.dataset.dragged = moved ? "1" : "";
    });
    svg.addEventListener("click", function (e) {
      if (svg.dataset.dragged || (e.target.closest && e.target.closest("circle.vertex"))) { svg.dataset.dragged = ""; return; }
      var p = svgPoint(e);
      change(function () { pts.splice(insertAt([p.x, p.y]), 0, toLonLat(p.x, p.y)); selected = -1; });
    });
    function remove() {
      if (selected < 0) { return; }
      change(function () { pts.splice(selected, 1); selected = -1; });
    }
    fig.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button[data-draw]");
      if (!b) { return; }
      var what = b.dataset.draw;
      if (what === "delete") { remove(); }
      if (what === "clear") { change(function () { pts = []; selected = -1; }); }
      if (what === "undo" && history.length) { pts = JSON.parse(history.pop()); selected = -1; write(); draw(); }
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target.tagName;
      if ((e.key === "Delete" || e.key === "Backspace") && selected >= 0 && t !== "INPUT" && t !== "TEXTAREA" && t !== "SELECT") {
        e.preventDefault(); remove();
      }
    });
    text.addEventListener("input", function () { read(); selected = -1; draw(); });
    read(); draw();
  });
})();
