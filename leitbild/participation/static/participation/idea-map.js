// Map of ideas: loads the markers of the visible area only (GeoJSON with bbox) and clusters
// them, so the page stays fast with thousands of ideas.
(function () {
  "use strict";
  function clamp(value, min, max) { return Math.max(min, Math.min(max, value)); }

  function popup(feature) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.className = "kern-link";
    link.href = feature.properties.url;
    link.textContent = feature.properties.title;  // visitors' text stays text
    var meta = document.createElement("p");
    var supports = feature.properties.support_count;
    meta.textContent = feature.properties.status_label + " · " + interpolate(
      ngettext("%(count)s Unterstützung", "%(count)s Unterstützungen", supports),
      {count: supports}, true);
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function init() {
    var element = document.getElementById("ideen-karte");
    if (!element || typeof L === "undefined" || !window.LeitbildMap) { return; }
    var status = document.getElementById("karte-status");
    var map = window.LeitbildMap.create(element, {keyboard: true});
    var cluster = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false});
    map.addLayer(cluster);
    var controller = null;
    var timer = null;

    function load() {
      var b = map.getBounds();
      var bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
                  clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
        .map(function (v) { return v.toFixed(5); }).join(",");
      if (controller) { controller.abort(); }
      controller = new AbortController();
      fetch(element.dataset.geojsonUrl + "&bbox=" + bbox, {signal: controller.signal})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          cluster.clearLayers();
          cluster.addLayers(data.features.map(function (feature) {
            var c = feature.geometry.coordinates;
            var marker = L.marker([c[1], c[0]], {title: feature.properties.title,
                                                 alt: feature.properties.title});
            marker.bindPopup(function () { return popup(feature); });
            return marker;
          }));
          var count = data.features.length;
          status.textContent = interpolate(ngettext("%(count)s Idee im Kartenausschnitt.",
                                                    "%(count)s Ideen im Kartenausschnitt.", count),
                                           {count: count}, true);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            status.textContent = gettext("Die Ideen konnten nicht geladen werden.");
          }
        });
    }
    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 250);
    });
    load();
  }
  document.addEventListener("DOMContentLoaded", init);
})();
