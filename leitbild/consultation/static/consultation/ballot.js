// Points ballot: show the running total while typing. Progressive enhancement only; the
// server checks the ballot (the sum, the cap) whatever this shows. Texts from the JavaScript
// catalog (core:javascript_catalog, loaded by base.html).
(function () {
  "use strict";
  var form = document.querySelector("form[data-punkte-gesamt]");
  if (!form) { return; }
  var total = parseInt(form.getAttribute("data-punkte-gesamt"), 10);
  var output = document.getElementById("punkte-summe");
  var inputs = form.querySelectorAll("input[data-punkte]");
  function update() {
    var sum = 0;
    inputs.forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value) && value > 0) { sum += value; }
    });
    var rest = total - sum;
    var text = interpolate(gettext("Verteilt: %(sum)s von %(total)s Punkten."),
                           {sum: sum, total: total}, true) + " ";
    if (rest > 0) { text += interpolate(gettext("Noch %(rest)s zu verteilen."), {rest: rest}, true); }
    else if (rest < 0) { text += interpolate(gettext("%(over)s zu viel verteilt."), {over: -rest}, true); }
    else { text += gettext("Alle Punkte sind verteilt."); }
    output.textContent = text;
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  output.hidden = false;
  update();
})();
