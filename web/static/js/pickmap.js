// The report forms' map (pickMap in mapsvg.go), on the public page, the grid worker's
// phone and the 12345 seat: a tap sets the position fields of the form around it and
// names the grid it falls in before sending; the form's place list follows when the
// grid's community is in it. The map takes no focus, so a keyboard flow passes it by.
(function () {
  "use strict";
  document.querySelectorAll("figure.pick-map svg.map").forEach(function (pick) {
    var form = pick.closest("form") || document;
    pick.addEventListener("click", function (e) {
      var pt = pick.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(pick.getScreenCTM().inverse());
      var d = pick.dataset;
      var lon = +d.minlon + (p.x - +d.pad) / (+d.kx * +d.scale);
      var lat = +d.maxlat - (p.y - +d.pad) / +d.scale;
      form.querySelector("[name=lat]").value = lat.toFixed(6);
      form.querySelector("[name=lon]").value = lon.toFixed(6);
      if (form.dataset) { form.dataset.picked = "1"; } // the phone's position no longer overrides it
      var dot = pick.querySelector("circle.pick-point");
      if (!dot) {
        dot = document.createElementNS("http://www.w3.org/2000/svg", "circle");
        dot.setAttribute("class", "pick-point"); dot.setAttribute("r", "10");
        dot.setAttribute("fill", "#c0392b"); dot.setAttribute("stroke", "#fff"); dot.setAttribute("stroke-width", "2.5");
        pick.appendChild(dot);
      }
      dot.setAttribute("cx", p.x); dot.setAttribute("cy", p.y);
      var name = "";
      pick.querySelectorAll("path.pick").forEach(function (g) {
        var inside = g.isPointInFill(p);
        g.setAttribute("fill", inside ? "#fde3dd" : "#f6f4ef");
        if (inside) {
          name = g.querySelector("title").textContent;
          var place = form.querySelector("select[name=region]");
          var code = g.dataset.code.slice(0, 12);
          if (place && place.querySelector('option[value="' + code + '"]')) { place.value = code; }
        }
      });
      var where = document.getElementById("where");
      if (where) {
        var msg = name ? (where.dataset.picked || "%s").replace("%s", name)
          : (where.dataset.outside || where.dataset.picked || "%s").replace("%s", lat.toFixed(6) + ", " + lon.toFixed(6));
        where.textContent = msg;
      }
    });
  });
})();
