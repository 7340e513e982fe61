/* certprep: small enhancements over pages that work without any script.
   - the exam timer counts down from the server's deadline (hideable, never stoppable); at zero the page reloads
     and the server, which owns the clock, shows the report;
   - an answer changed but not yet acknowledged by the server is shown as "not saved"; a request that fails
     (connection lost) says so and keeps the page as it was;
   - drag and drop with the mouse fills the same selects the keyboard uses.
   No inline script or style anywhere: this file is loaded with `defer` (a strict Content-Security-Policy allows it). */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function startTimer() {
    var box = document.getElementById("timer");
    if (!box || box.dataset.running) { return; }
    box.dataset.running = "1";
    var end = Date.now() + parseInt(box.dataset.seconds, 10) * 1000;
    var value = box.querySelector(".timer-value");
    var tick = function () {
      if (!document.body.contains(box)) { return; }
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      value.textContent = Math.floor(left / 3600) + ":" + pad(Math.floor(left % 3600 / 60)) + ":" + pad(left % 60);
      if (left === 300) { box.classList.add("timer-low"); }
      if (left <= 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    };
    tick();
    var toggle = document.getElementById("timer-toggle");
    if (toggle) {
      var hidden = window.localStorage && localStorage.getItem("certprep-timer-hidden") === "1";
      var apply = function () {
        value.parentElement.classList.toggle("timer-hidden", hidden);
        toggle.textContent = hidden ? "Show timer" : "Hide timer";
        toggle.setAttribute("aria-pressed", hidden ? "true" : "false");
      };
      apply();
      toggle.addEventListener("click", function () {
        hidden = !hidden;
        try { localStorage.setItem("certprep-timer-hidden", hidden ? "1" : "0"); } catch (e) { /* private mode */ }
        apply();
      });
    }
  }

  function watchAnswers() {
    var form = document.getElementById("answer-form");
    var state = document.getElementById("save-state");
    if (!form || !state || form.dataset.watching) { return; }
    form.dataset.watching = "1";
    form.addEventListener("change", function () {
      state.textContent = "Changed: not saved yet.";
      state.classList.add("unsaved");
    });
  }

  function choose(select, value) {
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function dragAndDrop() {
    document.querySelectorAll(".drag-drop").forEach(function (box) {
      if (box.dataset.dnd) { return; }
      box.dataset.dnd = "1";
      box.querySelectorAll(".value[draggable]").forEach(function (v) {
        v.addEventListener("dragstart", function (e) { e.dataTransfer.setData("text/plain", v.dataset.value); });
      });
      box.querySelectorAll(".target").forEach(function (t) {
        t.addEventListener("dragover", function (e) { e.preventDefault(); t.classList.add("over"); });
        t.addEventListener("dragleave", function () { t.classList.remove("over"); });
        t.addEventListener("drop", function (e) {
          e.preventDefault();
          t.classList.remove("over");
          choose(t.querySelector("select"), e.dataTransfer.getData("text/plain"));
        });
      });
    });
    document.querySelectorAll(".build-list").forEach(function (box) {
      if (box.dataset.dnd) { return; }
      box.dataset.dnd = "1";
      var rows = box.querySelectorAll(".build-row");
      rows.forEach(function (row) {
        row.setAttribute("draggable", "true");
        row.addEventListener("dragstart", function (e) { e.dataTransfer.setData("text/plain", row.dataset.label); });
        row.addEventListener("dragover", function (e) { e.preventDefault(); });
        row.addEventListener("drop", function (e) {
          /* dropping action X on action Y gives X the step just before Y's (or the next free one) */
          e.preventDefault();
          var from = box.querySelector('.build-row[data-label="' + e.dataTransfer.getData("text/plain") + '"] select');
          var to = row.querySelector("select");
          if (!from || from === to) { return; }
          var used = Array.prototype.map.call(box.querySelectorAll("select"), function (s) { return parseInt(s.value, 10) || 0; });
          var step = parseInt(to.value, 10) || (Math.max.apply(null, used) + 1);
          box.querySelectorAll("select").forEach(function (s) {
            var n = parseInt(s.value, 10);
            if (s !== from && n >= step) { s.value = String(n + 1); }
          });
          choose(from, String(step));
        });
      });
    });
  }

  function connection() {
    /* looked up on every event: a boosted navigation replaces the page's elements */
    document.body.addEventListener("htmx:sendError", function () {
      var note = document.getElementById("connection");
      var state = document.getElementById("save-state");
      if (state) {
        state.textContent = "Not saved: the server could not be reached. Your answer is still on this page; try again.";
        state.classList.add("unsaved");
      }
      if (note) { note.hidden = false; note.textContent = "Connection lost: nothing was saved by your last action."; }
    });
    document.body.addEventListener("htmx:afterRequest", function (e) {
      var note = document.getElementById("connection");
      if (note && e.detail.successful) { note.hidden = true; note.textContent = ""; }
    });
  }

  function focusFeedback() {
    var fb = document.getElementById("feedback");
    if (fb) { fb.focus(); }
  }

  function reviewKeys() {
    /* the review page: Space shows the answer, 1-4 grade it (the buttons do the same with the mouse or Tab) */
    if (document.body.dataset.reviewKeys) { return; }
    document.body.dataset.reviewKeys = "1";
    document.addEventListener("keydown", function (e) {
      var card = document.getElementById("review-card");
      if (!card || e.altKey || e.ctrlKey || e.metaKey) { return; }
      var target = e.target;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) { return; }
      var reveal = document.getElementById("reveal");
      if (e.key === " " && reveal && !reveal.open && target.tagName !== "SUMMARY") {
        e.preventDefault();
        reveal.open = true;
        return;
      }
      if (reveal && reveal.open && /^[1-4]$/.test(e.key)) {
        var button = card.querySelector('button[data-key="' + e.key + '"]');
        if (button) { e.preventDefault(); button.click(); }
      }
    });
  }

  function init() {
    startTimer();
    watchAnswers();
    dragAndDrop();
    focusFeedback();
  }

  document.addEventListener("DOMContentLoaded", function () { init(); connection(); reviewKeys(); });
  document.addEventListener("htmx:load", init);
})();
