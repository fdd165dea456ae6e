// Whistle: the little script every page loads. Pages work without it; it only moves
// the keyboard focus to an error message so a screen reader and a keyboard user meet
// it first, after a full load and after htmx swaps.
(function () {
  "use strict";
  function focusError() {
    var e = document.querySelector(".flash.error");
    if (e) { e.setAttribute("tabindex", "-1"); e.focus(); }
  }
  document.addEventListener("DOMContentLoaded", focusError);
  document.addEventListener("htmx:afterSwap", focusError);
})();
