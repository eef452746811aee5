// Points ballot: show the running total while typing. Progressive enhancement only; the
// server checks the ballot (the sum, the cap) whatever this shows.
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
    var text = "Verteilt: " + sum + " von " + total + " Punkten. ";
    if (rest > 0) { text += "Noch " + rest + " zu verteilen."; }
    else if (rest < 0) { text += (-rest) + " zu viel verteilt."; }
    else { text += "Alle Punkte sind verteilt."; }
    output.textContent = text;
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  output.hidden = false;
  update();
})();
