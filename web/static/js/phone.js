// Whistle phone page: position, sending, and an outbox that never loses a report.
// A report is sent with fetch; if the network fails (or the server errs), the whole
// form (fields and photos) is kept in IndexedDB and sent again when the phone is back
// online, on every visit of a phone page, and every 30 seconds. Each report carries a
// key made when the form opened, so a resend that already arrived files nothing twice.
(function () {
  "use strict";
  var DB = "whistle-outbox", STORE = "reports";

  var opened = null; // one connection per page, opened once
  function openDB() {
    if (opened) return opened;
    opened = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { db.close(); opened = null; };
        resolve(db);
      };
      req.onerror = function () { opened = null; reject(req.error); };
      req.onblocked = function () { opened = null; reject(new Error("outbox blocked")); };
    });
    return opened;
  }
  // a page that leaves (or is frozen in the back-forward cache) lets go of the outbox, so
  // the next page can open it
  window.addEventListener("pagehide", function () {
    if (opened) opened.then(function (db) { db.close(); }, function () {});
    opened = null;
  });
  function tx(mode, fn) {
    return openDB().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), out;
        t.oncomplete = function () { resolve(out); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error || new Error("outbox write aborted")); };
        out = fn(t.objectStore(STORE));
      });
    });
  }
  function keep(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return tx("readwrite", function (s) { s["delete"](key); }); }
  function all() {
    return tx("readonly", function (s) {
      var res = [];
      s.openCursor().onsuccess = function (e) {
        var c = e.target.result;
        if (c) { res.push(c.value); c["continue"](); }
      };
      return res;
    });
  }

  // serialise a form: text fields and photo files (Blobs survive in IndexedDB)
  function snapshot(form) {
    var fields = [], files = [];
    new FormData(form).forEach(function (v, k) {
      if (v instanceof Blob) { if (v.size > 0) files.push({ name: k, file: v, filename: v.name || "photo.jpg" }); }
      else fields.push([k, v]);
    });
    var key = form.elements.key.value;
    return { key: key, fields: fields, files: files, at: Date.now() };
  }
  function csrf() {
    var e = document.querySelector('input[name="_csrf"]');
    if (e) return e.value;
    var h = document.body.getAttribute("hx-headers");
    try { return JSON.parse(h)["X-CSRF-Token"]; } catch (err) { return ""; }
  }
  // send one kept report; resolves to the answer JSON, rejects with {retry, status}
  function send(item) {
    var fd = new FormData();
    item.fields.forEach(function (f) { if (f[0] !== "_csrf") fd.append(f[0], f[1]); });
    fd.append("_csrf", csrf());
    item.files.forEach(function (f) { fd.append(f.name, f.file, f.filename); });
    // a stalled connection counts as failed after a while: the report stays kept
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, 90000) : 0;
    return fetch("/m/report", { method: "POST", body: fd, credentials: "same-origin", signal: ctl ? ctl.signal : undefined,
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf() } })
      .finally(function () { clearTimeout(timer); })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.ok) return body;
          throw { retry: r.status >= 500 || r.status === 401 || r.status === 403 || r.status === 429, status: r.status, body: body };
        });
      }, function () { throw { retry: true, status: 0 }; });
  }

  var box = document.getElementById("outbox");
  var form = document.getElementById("report-form");
  var msgs = form ? form.dataset : (box ? box.dataset : {});
  function say(text) { if (box) { box.hidden = !text; box.textContent = text || ""; } }

  // whether the outbox exists, without creating it: a page that only looks must not
  // start creating the database and leave mid-way (the next page's open would wait)
  function hasOutbox() {
    if (!indexedDB.databases) return Promise.resolve(true);
    return indexedDB.databases().then(function (list) {
      return list.some(function (d) { return d.name === DB; });
    }, function () { return true; });
  }

  var flushing = false;
  function flush() {
    if (flushing || !window.indexedDB) return Promise.resolve();
    flushing = true;
    return hasOutbox().then(function (exists) { return exists ? all() : []; }).then(function (items) {
      var chain = Promise.resolve(), left = items.length, needSignIn = false;
      items.forEach(function (item) {
        chain = chain.then(function () {
          return send(item).then(function () { left--; return drop(item.key); }, function (e) {
            if (e.status === 401 || e.status === 403) needSignIn = true;
            if (!e.retry) { left--; return drop(item.key); } // refused for good: the form said why when it was made
          });
        });
      });
      return chain.then(function () {
        if (needSignIn && msgs.signin) say(msgs.signin);
        else if (left > 0 && msgs.pending) say(msgs.pending.replace("%s", left));
        else say("");
      });
    }).catch(function () {}).then(function () { flushing = false; });
  }

  if (form) {
    var where = document.getElementById("where");
    if (navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(function (p) {
        if (form.dataset.picked) return; // a point picked on the map (pickmap.js) wins
        form.elements.lat.value = p.coords.latitude.toFixed(6);
        form.elements.lon.value = p.coords.longitude.toFixed(6);
        where.textContent = msgs.located.replace("%s", Math.round(p.coords.accuracy));
        // name the grid the report will go to
        fetch("/m/locate?lat=" + form.elements.lat.value + "&lon=" + form.elements.lon.value, { credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (t) { if (t) where.textContent += " · " + t; }, function () {});
      }, function () { if (!form.dataset.picked) where.textContent = msgs.nolocation; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    } else {
      where.textContent = msgs.nolocation;
    }
    form.addEventListener("submit", function (ev) {
      if (!window.fetch || !window.indexedDB) return; // the plain form post still works
      ev.preventDefault();
      var btn = document.getElementById("send");
      btn.disabled = true;
      say(msgs.sending);
      var item = snapshot(form);
      // keep it first: if the page dies while sending, the report is still on the phone
      keep(item).then(function () { return send(item); }).then(function (body) {
        return drop(item.key).then(function () { window.location.href = body.url; });
      }, function (e) {
        btn.disabled = false;
        if (e.retry) {
          say(e.status === 401 || e.status === 403 ? msgs.signin : msgs.queued);
          form.reset(); delete form.dataset.picked;
          form.elements.key.value = newKey();
        } else {
          return drop(item.key).then(function () { say((e.body && e.body.error) || ""); });
        }
      });
    });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(36).slice(2);
  }
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () { flush(); });
  setInterval(flush, 30000);
})();
