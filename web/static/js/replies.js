// 常用语: choosing a reply template beside a text puts it into the form's text, after
// what is written; at the seat {来电人} becomes the caller's name typed so far.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var sel = e.target;
    if (!sel.classList || !sel.classList.contains("reply-template") || !sel.value) { return; }
    var form = sel.closest("form");
    var text = form && form.querySelector("textarea[name=result], textarea[name=answer]");
    if (!text) { return; }
    var body = sel.value;
    var caller = form.classList.contains("intake-form") ? form.querySelector("input[name=name]") : null;
    body = body.split("{来电人}").join(caller && caller.value ? caller.value : "");
    text.value = (text.value ? text.value + "\n" : "") + body;
    sel.value = "";
    text.focus();
  });
})();
