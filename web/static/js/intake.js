// The doors of issue 5: the receipt's print button and the public page's position
// (its map is pickmap.js's).
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
})();
