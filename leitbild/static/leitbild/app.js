// Leitbild: progressive enhancement only; every page works without this file.
(function () {
  "use strict";

  // After a form was refused by the server, the page comes back with an error summary
  // (templates/_form_errors.html): focus it, so that it is read out and Tab leads from there
  // to the fields. CSP allows no inline script, hence this file rather than the template.
  var loaded = document.getElementById("fehler");
  if (loaded) { loaded.focus(); }

  // One polite live region for the whole page (base.html): an htmx swap copies the text of
  // the new content's [data-live] element into it. A region that is itself swapped in is
  // not reliably announced; one that exists from the start is.
  function announce(text) {
    var region = document.getElementById("lb-live");
    if (!region || !text) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // htmx replaces the control that sent the request; focus goes back to the element with the
  // same id in the new content (e.g. the support button, which then says "supported"),
  // otherwise to the new content itself, never to the start of the page.
  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active !== document.body ? active.id || null : null;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var root = target && target.isConnected ? target : document.getElementById(target.id);
    if (!root) { return; }
    var summary = root.querySelector("#fehler");
    var live = root.matches("[data-live]") ? root : root.querySelector("[data-live]");
    if (live) { announce(live.textContent.replace(/\s+/g, " ").trim()); }
    if (summary) { summary.focus(); return; }
    if (!focusedId) { return; }
    var again = document.getElementById(focusedId);
    if (again && again !== document.activeElement) { again.focus(); }
  });
})();
