// Idea page: a small map with the idea's place. The coordinates are also shown as text.
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("ort-karte");
    if (!element || typeof L === "undefined" || !window.LeitbildMap) { return; }
    var map = window.LeitbildMap.create(element, {
      dragging: false, scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false,
      keyboard: false, touchZoom: false, zoomControl: false
    });
    L.marker([parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)],
             {interactive: false, keyboard: false, alt: ""}).addTo(map);
  }
  document.addEventListener("DOMContentLoaded", init);
})();
