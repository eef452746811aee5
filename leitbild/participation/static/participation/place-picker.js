// Submission form: pick the place of an idea on the map. Without JavaScript the address field
// alone is shown, and the form works the same.
(function () {
  "use strict";
  function init() {
    var box = document.getElementById("ort-auswahl");
    if (!box || typeof L === "undefined" || !window.LeitbildMap) { return; }
    box.hidden = false;
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var status = document.getElementById("ort-status");
    var mapElement = document.getElementById("ort-karte");
    var map = window.LeitbildMap.create(mapElement, {keyboard: true}, box);
    mapElement.setAttribute("aria-label", box.dataset.label || gettext("Karte zur Auswahl des Ortes"));
    mapElement.setAttribute("role", "application");
    var marker = null;

    function setPlace(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, {interactive: false, keyboard: false, alt: ""}).addTo(map);
      }
      var district = window.LeitbildMap.districtAt(map, latlng);
      status.textContent = (box.dataset.chosen || gettext("Ort gewählt:")) + " " + lat.value + ", " +
        lon.value + (district ? " (" + district + ")" : "");
    }

    if (lat.value && lon.value) {
      var initial = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      map.setView(initial, 16);
      setPlace(initial);
    }
    map.on("click", function (event) { setPlace(event.latlng); });
    document.getElementById("ort-setzen").addEventListener("click", function () {
      setPlace(map.getCenter());
    });
    document.getElementById("ort-entfernen").addEventListener("click", function () {
      lat.value = "";
      lon.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      status.textContent = box.dataset.cleared || gettext("Kein Ort gewählt.");
    });
  }
  document.addEventListener("DOMContentLoaded", init);
})();
