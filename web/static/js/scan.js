// 扫码入企 without a code in the address: the inspector photographs the enterprise code
// and the browser reads it (BarcodeDetector, where the phone's browser has it); a code
// of this site opens its registration form, anything else is refused here.
(function () {
  "use strict";
  var box = document.getElementById("scan-camera");
  if (!box) return;
  var input = document.getElementById("scan-photo");
  var msg = document.getElementById("scan-message");
  if (!("BarcodeDetector" in window)) {
    msg.textContent = box.dataset.unsupported;
    box.querySelector('label[for="scan-photo"]').hidden = true; // the photo could not be read here
    return;
  }
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    createImageBitmap(file).then(function (bmp) {
      return new window.BarcodeDetector({ formats: ["qr_code"] }).detect(bmp);
    }).then(function (codes) {
      var prefix = location.origin + "/inspect/scan?code=";
      for (var i = 0; i < codes.length; i++) {
        if (codes[i].rawValue.indexOf(prefix) === 0) {
          location.assign(codes[i].rawValue);
          return;
        }
      }
      msg.textContent = box.dataset.notacode;
    }).catch(function () { msg.textContent = box.dataset.notacode; });
  });
})();
