// The 12345 seat (坐席): a call taken without the mouse. Alt+1…5 picks a suggested
// matter (the list under the caller's words) and goes on to the title; a click does the
// same; Ctrl+Enter files the call.
(function () {
  "use strict";
  var form = document.querySelector(".intake-form");
  var matter = document.getElementById("matter");
  if (!form || !matter) { return; }
  function pick(button) {
    var code = button.getAttribute("data-code");
    if (!matter.querySelector('option[value="' + code + '"]')) {
      var o = document.createElement("option");
      o.value = code;
      o.textContent = button.textContent.replace(/^\s*Alt\+\d\s*/, "");
      matter.appendChild(o);
    }
    matter.value = code;
    var next = document.getElementById("call-title");
    if (next) { next.focus(); }
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.suggestion");
    if (b) { e.preventDefault(); pick(b); }
    var k = e.target.closest && e.target.closest("button.insert-answer");
    var answer = document.getElementById("call-answer");
    if (k && answer) { // the knowledge base's answer, appended to what is written
      e.preventDefault();
      answer.value = (answer.value ? answer.value + "\n" : "") + k.getAttribute("data-answer");
      answer.focus();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey && e.key >= "1" && e.key <= "5") {
      var b = document.getElementById("suggest-" + e.key);
      if (b) { e.preventDefault(); pick(b); }
    } else if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
})();
