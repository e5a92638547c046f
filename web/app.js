/* ketnap — the little JavaScript of the web application. Everything works
 * without it; it only adds conveniences: a confirmation before irreversible
 * submissions, a guard against double submission, and on the decisions
 * queue a box that ticks every dossier of the page at once. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var submitter = ev.submitter;
      var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
      if (message && !window.confirm(message)) {
        ev.preventDefault();
        return;
      }
      if (form.dataset.submitted === "1") {
        ev.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
      setTimeout(function () { form.dataset.submitted = ""; }, 3000);
    });
  });
  document.querySelectorAll("input.tick-all").forEach(function (all) {
    var boxes = document.querySelectorAll('input[type="checkbox"][name="ref"][form="' +
      all.getAttribute("form") + '"]');
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
    });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });
});
