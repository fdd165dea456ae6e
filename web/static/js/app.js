// Whistle: the little script every page loads. Pages work without it; it moves the
// keyboard focus to an error message so a screen reader and a keyboard user meet it
// first, after a full load and after htmx swaps; it prints a page from its print
// button, ticks a list's page at once, keeps a queue's polling from wiping the rows a
// dispatcher has ticked, and tells the queue's tab counts to refresh after a row's
// quick action.
(function () {
  "use strict";
  function focusError() {
    var e = document.querySelector(".flash.error");
    if (e) { e.setAttribute("tabindex", "-1"); e.focus(); }
  }
  document.addEventListener("DOMContentLoaded", focusError);
  document.addEventListener("htmx:afterSwap", focusError);
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest && t.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("change", function (e) {
    var t = e.target, form = t.getAttribute && t.getAttribute("data-tick-all");
    if (!form) { return; }
    document.querySelectorAll('input[type="checkbox"][name="id"][form="' + form + '"]').forEach(function (b) { b.checked = t.checked; });
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    if (elt.id === "queue-poll" && document.querySelector('#queue input[name="id"]:checked')) {
      e.preventDefault(); // the dispatcher is choosing rows: refresh later
      return;
    }
    if (elt.matches && elt.matches("#rows form.inline") && window.htmx) {
      e.detail.xhr.addEventListener("loadend", function () {
        setTimeout(function () { window.htmx.trigger(document.body, "acted"); }, 0);
      });
    }
  });
})();

// Live notices: the header's unread badge listens to the server's stream of the user's
// new notices (web/live.go) and asks for its count again when one comes.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  document.addEventListener("DOMContentLoaded", function () {
    var badge = document.getElementById("unread-count");
    if (!badge) { return; }
    var stream = new EventSource("/notices/stream");
    stream.addEventListener("hello", function () {
      // a hello after the first is a reconnection: a notice may have come meanwhile
      if (badge.getAttribute("data-live") && window.htmx) { window.htmx.trigger(badge, "whistle:notice"); }
      badge.setAttribute("data-live", "1");
    });
    stream.addEventListener("notice", function () {
      if (window.htmx) { window.htmx.trigger(badge, "whistle:notice"); }
    });
    // an open queue's list reloads when a case comes into or leaves the queue
    stream.addEventListener("queue", function () {
      var poll = document.getElementById("queue-poll");
      if (poll && window.htmx) { window.htmx.trigger(poll, "whistle:queue"); }
    });
    window.addEventListener("pagehide", function () { stream.close(); });
  });
})();
