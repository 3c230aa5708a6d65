// Article page, triage list: "Pre-select: strict / normal / broad" re-ticks the
// sentences scoring at or above the chosen cut and de-emphasises the others;
// "Clear all ticks" unticks every sentence not yet kept. Kept sentences (disabled
// boxes) are never touched. The control stays hidden without JavaScript.
(function () {
  "use strict";

  function rows(form) {
    return Array.prototype.slice.call(form.querySelectorAll(".triage-row[data-score]"));
  }

  function apply(form, cut) {
    rows(form).forEach(function (row) {
      var above = Number(row.dataset.score) >= cut;
      row.classList.toggle("below-cut", !above);
      var box = row.querySelector("input[type=checkbox]");
      if (box && !box.disabled) box.checked = above;
    });
  }

  function setUp() {
    var control = document.getElementById("preselect");
    var form = document.getElementById("keep-form");
    if (!control || !form || control.dataset.ready) return;
    control.dataset.ready = "1";
    control.hidden = false;
    control.addEventListener("change", function (event) {
      if (event.target.name === "preselect-level") apply(form, Number(event.target.value));
    });
    document.getElementById("preselect-clear").addEventListener("click", function () {
      rows(form).forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        if (box && !box.disabled) box.checked = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
})();
