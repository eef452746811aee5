// Leitbild: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // After an htmx swap, move focus to a new error summary so screen readers announce it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var summary = event.detail.target.querySelector("#fehler");
    if (summary) { summary.focus(); }
  });
})();
