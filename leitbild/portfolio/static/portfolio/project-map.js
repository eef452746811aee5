// Map of the public projects: one marker per project with a place (a few dozen at most).
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("projekt-karte");
    if (!element || typeof L === "undefined" || !window.LeitbildMap) { return; }
    var map = window.LeitbildMap.create(element, {keyboard: true});
    fetch(element.dataset.geojsonUrl)
      .then(function (response) { return response.json(); })
      .then(function (data) {
        L.geoJSON(data, {
          onEachFeature: function (feature, layer) {
            var link = document.createElement("a");
            link.className = "kern-link";
            link.href = feature.properties.url;
            link.textContent = feature.properties.title;  // text stays text
            layer.bindPopup(link);
          }
        }).addTo(map);
      });
  }
  document.addEventListener("DOMContentLoaded", init);
})();
