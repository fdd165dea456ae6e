// Whistle administration: the role editor's rows (add, remove), the region picker (a
// tree loaded one level at a time from /admin/regions/children, and a search box on
// /admin/regions/search), and the calendar's month grid (a click turns a day's kind).
// The forms post plain fields; the server checks everything.
(function () {
  "use strict";

  // role rows: "add" copies the blank row of the template, "remove" drops its row
  var rows = document.getElementById("grant-rows");
  var add = document.getElementById("add-grant");
  var tpl = document.getElementById("grant-row-template");
  if (rows && add && tpl) {
    add.addEventListener("click", function () {
      rows.appendChild(tpl.content.cloneNode(true));
      var sel = rows.lastElementChild && rows.lastElementChild.querySelector("select");
      if (sel) sel.focus();
    });
  }
  document.addEventListener("click", function (e) {
    var rm = e.target.closest(".remove-grant");
    if (rm) { rm.closest(".grant-row").remove(); }
  });

  // the region picker: one dialog for every region field of the page
  var dlg = document.getElementById("region-picker");
  var target = null; // the .region-input being filled
  function node(r, withPath) {
    var li = document.createElement("li");
    li.setAttribute("role", "treeitem");
    li.dataset.code = r.code;
    if (!r.leaf && !withPath) {
      var x = document.createElement("button");
      x.type = "button"; x.className = "expand"; x.textContent = "▸";
      x.setAttribute("aria-label", r.name + " ▸");
      li.appendChild(x);
    }
    var b = document.createElement("button");
    b.type = "button"; b.className = "choose"; b.dataset.code = r.code; b.dataset.name = r.name;
    b.textContent = r.name;
    li.appendChild(b);
    var small = document.createElement("small");
    small.textContent = " " + (withPath && r.path ? r.path + " · " : "") + r.code;
    li.appendChild(small);
    return li;
  }
  function fill(ul, url, withPath) {
    ul.textContent = dlg.dataset.loading;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
      .then(function (list) {
        ul.textContent = "";
        if (!list.length) { ul.textContent = dlg.dataset.none; }
        list.forEach(function (r) { ul.appendChild(node(r, withPath)); });
      }, function () { ul.textContent = dlg.dataset.none; });
  }
  if (dlg) {
    var tree = document.getElementById("region-tree");
    var hits = document.getElementById("region-hits");
    var search = document.getElementById("region-search");
    var timer = null;
    document.addEventListener("click", function (e) {
      var pick = e.target.closest(".pick-region");
      if (pick) {
        target = pick.closest(".region-input");
        if (!tree.dataset.loaded) { tree.dataset.loaded = "1"; fill(tree, "/admin/regions/children?parent=", false); }
        search.value = ""; hits.hidden = true; tree.hidden = false;
        dlg.showModal();
        search.focus();
      }
    });
    dlg.addEventListener("click", function (e) {
      var x = e.target.closest(".expand");
      if (x) {
        var li = x.parentNode, sub = li.querySelector("ul");
        if (sub) { sub.hidden = !sub.hidden; x.textContent = sub.hidden ? "▸" : "▾"; return; }
        sub = document.createElement("ul");
        sub.setAttribute("role", "group");
        li.appendChild(sub);
        x.textContent = "▾";
        fill(sub, "/admin/regions/children?parent=" + encodeURIComponent(li.dataset.code), false);
        return;
      }
      var c = e.target.closest(".choose");
      if (c && target) {
        target.querySelector(".region-code").value = c.dataset.code;
        target.querySelector(".region-name").textContent = c.dataset.name;
        dlg.close();
      }
    });
    search.addEventListener("input", function () {
      clearTimeout(timer);
      var q = search.value.trim();
      if (!q) { hits.hidden = true; tree.hidden = false; return; }
      timer = setTimeout(function () {
        hits.hidden = false; tree.hidden = true;
        fill(hits, "/admin/regions/search?q=" + encodeURIComponent(q), true);
      }, 250);
    });
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
  }

  // the month grid: each click turns a day to its next kind
  var month = document.querySelector("table.month");
  if (month) {
    month.addEventListener("click", function (e) {
      var b = e.target.closest(".daybtn");
      if (!b) return;
      var td = b.parentNode, input = td.querySelector('input[name^="kind."]');
      var order = b.dataset.weekend ? ["", "workday", "holiday"] : ["", "holiday"];
      var next = order[(order.indexOf(input.value) + 1) % order.length];
      input.value = next;
      td.classList.remove("day-holiday", "day-workday");
      if (next) td.classList.add("day-" + next);
      b.querySelector(".dkind").textContent = next ? month.dataset[next] : (b.dataset.weekend ? month.dataset.off : month.dataset.work);
      b.setAttribute("aria-pressed", next ? "true" : "false");
    });
  }
})();
