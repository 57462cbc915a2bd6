// The review workspace: selecting an item highlights its span in the source text and scrolls to it, and
// clicking highlighted text selects the item; filters by review state; "tick every pending target".
"use strict";
(function () {
  var source = document.getElementById("source");
  var items = document.getElementById("items");
  if (!source || !items) { return; }
  var current = null;

  function marksOf(ref) {
    return source.querySelectorAll('mark[data-refs~="' + CSS.escape(ref) + '"]');
  }

  function cardOf(ref) {
    return document.getElementById("item-" + ref);
  }

  function scrollWithin(pane, el) {
    // Scroll only the pane, never the whole page (the other pane must stay where it is).
    var top = el.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTo({ top: Math.max(0, top - pane.clientHeight / 3), behavior: "smooth" });
  }

  function select(ref, opts) {
    opts = opts || {};
    if (current) {
      marksOf(current).forEach(function (m) { m.classList.remove("active"); });
      var old = cardOf(current);
      if (old) { old.classList.remove("active"); }
    }
    current = ref;
    var marks = marksOf(ref);
    marks.forEach(function (m) { m.classList.add("active"); });
    var card = cardOf(ref);
    if (card) { card.classList.add("active"); }
    if (opts.scrollText !== false && marks.length) { scrollWithin(source, marks[0]); }
    if (opts.scrollCard !== false && card) { scrollWithin(items, card); }
  }

  var INTERACTIVE = "button, input, select, textarea, a, label, summary, details, form";

  items.addEventListener("click", function (event) {
    if (event.target.closest(INTERACTIVE)) { return; }
    var card = event.target.closest(".item");
    if (card) { select(card.dataset.ref, { scrollCard: false }); }
  });
  items.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.classList && event.target.classList.contains("item")) {
      select(event.target.dataset.ref, { scrollCard: false });
    }
  });
  source.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-refs]");
    if (mark) { select(mark.dataset.refs.split(" ")[0], { scrollText: false }); }
  });

  // Rejected targets are struck through in the text too.
  function syncStates() {
    items.querySelectorAll(".item.k-targets").forEach(function (card) {
      var rejected = card.dataset.state === "rejected";
      marksOf(card.dataset.ref).forEach(function (m) {
        if (m.dataset.refs.split(" ")[0] === card.dataset.ref) { m.classList.toggle("rejected", rejected); }
      });
    });
  }
  syncStates();

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var card = event.detail.target;
    if (card && card.classList && card.classList.contains("item")) {
      syncStates();
      if (current === card.dataset.ref) { card.classList.add("active"); }
    }
  });

  document.querySelectorAll(".filters .chip").forEach(function (chip) {
    chip.addEventListener("click", function () {
      items.dataset.filter = chip.dataset.filter;
      document.querySelectorAll(".filters .chip").forEach(function (c) {
        c.setAttribute("aria-pressed", String(c === chip));
      });
    });
  });

  var pick = document.getElementById("pick-pending");
  if (pick) {
    pick.addEventListener("click", function () {
      items.querySelectorAll('.item[data-state="extracted"] input.pick').forEach(function (box) { box.checked = true; });
    });
  }

  items.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-editor]");
    if (close) {
      var editor = close.closest(".editor");
      if (editor) { editor.replaceChildren(); }
    }
  });

  var hash = window.location.hash.replace(/^#item-/, "");
  if (hash && cardOf(hash)) { select(hash); }
})();
