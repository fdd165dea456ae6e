// The doors of issue 5: the receipt's print button and the public page's position.
(function () {
  "use strict";
  var print = document.getElementById("print-receipt");
  if (print) {
    print.addEventListener("click", function () { window.print(); });
  }
  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      var where = document.getElementById("where");
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById("lat").value = p.coords.latitude.toFixed(6);
        document.getElementById("lon").value = p.coords.longitude.toFixed(6);
        where.textContent = (where.dataset.located || "").replace("%s", Math.round(p.coords.accuracy));
      }, function () {}, { enableHighAccuracy: true, timeout: 15000 });
    });
  } else if (locate) {
    locate.hidden = true;
  }
  // the grids' map (pickmap, mapsvg.go): a tap sets the position and names its grid,
  // and the place list follows when the grid's community is in it
  var pick = document.querySelector("#pick-map svg.map");
  if (pick) {
    pick.addEventListener("click", function (e) {
      var pt = pick.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(pick.getScreenCTM().inverse());
      var d = pick.dataset;
      var lon = +d.minlon + (p.x - +d.pad) / (+d.kx * +d.scale);
      var lat = +d.maxlat - (p.y - +d.pad) / +d.scale;
      document.getElementById("lat").value = lat.toFixed(6);
      document.getElementById("lon").value = lon.toFixed(6);
      var dot = pick.querySelector("circle.pick-point");
      if (!dot) {
        dot = document.createElementNS("http://www.w3.org/2000/svg", "circle");
        dot.setAttribute("class", "pick-point"); dot.setAttribute("r", "7");
        dot.setAttribute("fill", "#c0392b"); dot.setAttribute("stroke", "#fff"); dot.setAttribute("stroke-width", "2.5");
        pick.appendChild(dot);
      }
      dot.setAttribute("cx", p.x); dot.setAttribute("cy", p.y);
      var name = lat.toFixed(6) + ", " + lon.toFixed(6);
      pick.querySelectorAll("path.pick").forEach(function (g) {
        var inside = g.isPointInFill(p);
        g.setAttribute("fill", inside ? "#fde3dd" : "#f6f4ef");
        if (inside) {
          name = g.querySelector("title").textContent;
          var place = document.querySelector("#public-report select[name=region]");
          var code = g.dataset.code.slice(0, 12);
          if (place && place.querySelector('option[value="' + code + '"]')) { place.value = code; }
        }
      });
      var where = document.getElementById("where");
      where.textContent = (where.dataset.picked || "%s").replace("%s", name);
    });
  }
})();
