// The phone form's matter picker: the reporter's recent matters as buttons, and a search
// box that lists the matters whose name, keywords or class hold what was typed; a tap
// on either picks the matter in the select below (which still works on its own).
(function () {
  "use strict";
  var sel = document.getElementById("matter");
  var search = document.getElementById("matter-search");
  if (!sel || !search) return;
  var hits = document.getElementById("matter-hits");
  var count = document.getElementById("matter-count");
  var all = Array.prototype.slice.call(sel.querySelectorAll("option[data-k]"));
  var autoTitle = ""; // the title the last pick filled in

  function pick(code) {
    sel.value = code;
    sel.dispatchEvent(new Event("change", { bubbles: true }));
    search.value = "";
    hits.hidden = true; count.hidden = true;
    var title = document.getElementById("title"), o = sel.selectedOptions[0];
    if (title && o && (!title.value || title.value === autoTitle)) { // never what she typed
      title.value = autoTitle = o.textContent;
    }
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest("#recent-matters .chip, #matter-hits button");
    if (b) { e.preventDefault(); pick(b.dataset.code); }
  });
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
  search.addEventListener("input", function () {
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    hits.textContent = "";
    if (!words.length) { hits.hidden = true; count.hidden = true; return; }
    var found = all.filter(function (o) {
      var k = o.dataset.k.toLowerCase();
      return words.every(function (w) { return k.indexOf(w) >= 0; });
    });
    found.slice(0, 30).forEach(function (o) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button"; b.dataset.code = o.value;
      b.textContent = o.textContent;
      var small = document.createElement("small");
      small.textContent = " " + o.parentNode.label;
      b.appendChild(small);
      li.appendChild(b);
      hits.appendChild(li);
    });
    hits.hidden = !found.length;
    count.hidden = false;
    count.textContent = found.length ? search.dataset.found.replace("%d", found.length) : search.dataset.none;
  });
})();
