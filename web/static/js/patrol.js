// Patrol and scan-in phone pages: fill the position from the phone, and shrink a camera
// photo to a JPEG data URL (at most 1280 px) sent with the form.
(function () {
  "use strict";
  var form = document.getElementById("patrol-form") || document.getElementById("scan-form");
  if (!form) return;
  var where = document.getElementById("where");
  if (navigator.geolocation && where) {
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("lat").value = p.coords.latitude.toFixed(6);
      document.getElementById("lon").value = p.coords.longitude.toFixed(6);
      where.textContent = form.dataset.located.replace("%s", p.coords.latitude.toFixed(5)).replace("%s", p.coords.longitude.toFixed(5));
    }, function () { where.textContent = form.dataset.nolocation; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  } else if (where) {
    where.textContent = form.dataset.nolocation;
  }
  var input = document.getElementById("patrol-photo");
  if (!input) return;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var img = new Image();
    var url = URL.createObjectURL(file);
    img.onload = function () {
      var scale = Math.min(1, 1280 / Math.max(img.width, img.height));
      var c = document.createElement("canvas");
      c.width = Math.round(img.width * scale);
      c.height = Math.round(img.height * scale);
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      var q = 0.8, data = c.toDataURL("image/jpeg", q);
      while (data.length > 380000 && q > 0.3) { q -= 0.15; data = c.toDataURL("image/jpeg", q); }
      document.getElementById("photo-data").value = data;
      URL.revokeObjectURL(url);
    };
    img.src = url;
  });
})();
