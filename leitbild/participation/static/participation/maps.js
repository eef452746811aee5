// Shared helpers for Leaflet maps: tiles from the operator's settings, or none at all. Texts
// from the JavaScript catalog (core:javascript_catalog, loaded by base.html).
(function () {
  "use strict";
  window.LeitbildMap = {
    // ``settings`` is the element carrying data-lat, data-lon, data-zoom, data-tile-url and
    // data-attribution (the map element itself if not given).
    create: function (element, options, settings) {
      var data = (settings || element).dataset;
      var map = L.map(element, Object.assign({zoomControl: false, maxZoom: 19, minZoom: 3},
                                             options || {}));
      map.setView([parseFloat(data.lat), parseFloat(data.lon)], parseInt(data.zoom, 10) || 13);
      if (options === undefined || options.zoomControl !== false) {
        L.control.zoom({zoomInTitle: gettext("Hineinzoomen"),
                        zoomOutTitle: gettext("Herauszoomen")}).addTo(map);
      }
      if (data.tileUrl) {
        // Without a tile server the map shows a plain background: nothing is loaded from
        // third parties unless the operator configured it.
        L.tileLayer(data.tileUrl, {
          attribution: data.attribution || "", maxZoom: 19
        }).addTo(map);
      }
      map.attributionControl.setPrefix(false);
      return map;
    }
  };
})();
