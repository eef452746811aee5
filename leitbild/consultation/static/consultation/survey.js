// Survey: show conditional questions as soon as their condition is met, and save answers
// while the participant goes. The server decides on every submission; this only helps.
(function () {
  "use strict";
  var form = document.getElementById("umfrage-formular");
  if (!form) { return; }

  function conditionMet(name, expected) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked && input.value === expected
          : input.value === expected) { return true; }
    }
    return false;
  }

  function applyConditions() {
    form.querySelectorAll("[data-bedingung-frage]").forEach(function (block) {
      var met = conditionMet(block.getAttribute("data-bedingung-frage"),
                             block.getAttribute("data-bedingung-wert"));
      block.hidden = !met;
      var hint = block.querySelector("[data-bedingung-hinweis]");
      if (hint) { hint.hidden = true; }
    });
  }

  var timer = null;
  var status = document.getElementById("speicherstatus");
  function autosave() {
    var data = new FormData(form);
    data.set("aktion", "zwischenspeichern");
    fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (status && response.status === 204) { status.textContent = gettext("Ihre Antworten sind gespeichert."); }
    }).catch(function () { /* the buttons still save */ });
  }

  form.addEventListener("change", function () {
    applyConditions();
    window.clearTimeout(timer);
    timer = window.setTimeout(autosave, 600);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") {
      window.clearTimeout(timer);
      timer = window.setTimeout(autosave, 1500);
    }
  });
  applyConditions();
})();
