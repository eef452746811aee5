// Shared helpers for Leaflet maps. The base layer is the city's outline and districts that the
// project ships (core:map_districts, data-districts-url), drawn with their names, so a map is
// readable without any tile server; tiles from the operator's settings are drawn over the
// districts' areas, with the borders and names still on top. Texts from the JavaScript catalog
// (core:javascript_catalog, loaded by base.html).
(function () {
  "use strict";
  // Pale, distinct areas; the names sit on white labels, so their contrast does not depend on
  // the colour below.
  var FILLS = ["#f3efe2", "#e4eee3", "#e6ebf3", "#f3e6e6", "#ebe6f1", "#e3eef0", "#f1ece0",
               "#e9efe0"];

  function ringContains(ring, lon, lat) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var x1 = ring[i][0], y1 = ring[i][1], x2 = ring[j][0], y2 = ring[j][1];
      if ((y1 > lat) !== (y2 > lat) && lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1)) {
        inside = !inside;
      }
    }
    return inside;
  }

  function polygonContains(polygon, lon, lat) {
    if (!ringContains(polygon[0], lon, lat)) { return false; }
    for (var h = 1; h < polygon.length; h++) {
      if (ringContains(polygon[h], lon, lat)) { return false; }
    }
    return true;
  }

  function featureContains(feature, lon, lat) {
    var g = feature.geometry;
    var polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    return polygons.some(function (polygon) { return polygonContains(polygon, lon, lat); });
  }

  // Where a district's name goes: the area centroid of its largest part (for the districts of
  // a city, small enough to treat longitude and latitude as plane coordinates).
  function labelPoint(feature) {
    var g = feature.geometry;
    var best = null;
    (g.type === "Polygon" ? [g.coordinates] : g.coordinates).forEach(function (polygon) {
      var ring = polygon[0], area = 0, x = 0, y = 0;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        area += f;
        x += (ring[j][0] + ring[i][0]) * f;
        y += (ring[j][1] + ring[i][1]) * f;
      }
      if (area !== 0 && (!best || Math.abs(area) > best.area)) {
        best = {area: Math.abs(area), lon: x / (3 * area), lat: y / (3 * area)};
      }
    });
    return best ? L.latLng(best.lat, best.lon) : null;
  }

  function isCity(feature) { return feature.properties && feature.properties.kind === "city"; }

  function pane(map, name, zIndex) {
    var element = map.getPane(name) || map.createPane(name);
    element.style.zIndex = String(zIndex);
    return name;
  }

  // A district's name at a point: plain text in a pane under the markers, hidden while the
  // map zooms (not a marker: nothing to focus or click, and not counted as one).
  var Label = L.Layer.extend({
    initialize: function (latlng, name, options) {
      L.setOptions(this, options);
      this._latlng = latlng;
      this._name = name;
    },
    onAdd: function (map) {
      this._element = L.DomUtil.create("div", "lb-map__label leaflet-zoom-hide",
                                       map.getPane(this.options.pane));
      var text = L.DomUtil.create("span", "lb-map__label-text", this._element);
      text.textContent = this._name;  // the operator's file is data, never markup
      map.on("zoomend viewreset", this._place, this);
      this._place();
    },
    onRemove: function (map) {
      map.off("zoomend viewreset", this._place, this);
      L.DomUtil.remove(this._element);
    },
    _place: function () {
      L.DomUtil.setPosition(this._element, this._map.latLngToLayerPoint(this._latlng));
    }
  });

  function drawDistricts(map, data) {
    var districts = data.features.filter(function (f) { return !isCity(f); });
    // Areas under the tiles (zIndex 200), borders above them, names above the borders and
    // under the markers (600).
    L.geoJSON(data, {
      pane: pane(map, "lbDistrictAreas", 150), interactive: false,
      style: function (feature) {
        if (isCity(feature)) { return {stroke: false, fillColor: "#f7f7f4", fillOpacity: 1}; }
        return {stroke: false, fillOpacity: 1,
                fillColor: FILLS[districts.indexOf(feature) % FILLS.length]};
      }
    }).addTo(map);
    L.geoJSON(data, {
      pane: pane(map, "lbDistrictBorders", 350), interactive: false,
      style: function (feature) {
        return isCity(feature) ? {color: "#0b3c6f", weight: 3, fill: false}
          : {color: "#6b7a89", weight: 1.5, fill: false};
      }
    }).addTo(map);
    var labels = pane(map, "lbDistrictLabels", 450);
    var labelPane = map.getPane(labels);
    labelPane.classList.add("lb-map__labels");
    // Zoomed far out, the names would lie on top of each other: the areas alone remain.
    function crowded() {
      labelPane.classList.toggle("lb-map__labels--hidden", map.getZoom() < 12);
    }
    map.on("zoomend", crowded);
    crowded();
    districts.forEach(function (feature) {
      var point = labelPoint(feature);
      if (!point) { return; }
      new Label(point, feature.properties.name, {pane: labels}).addTo(map);
    });
    return districts;
  }

  window.LeitbildMap = {
    // ``settings`` is the element carrying data-lat, data-lon, data-zoom, data-tile-url,
    // data-attribution and data-districts-url (the map element itself if not given).
    // ``map.lbDistricts`` is a promise of the districts drawn (empty without a base layer).
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
        // Nothing is loaded from third parties unless the operator configured it.
        L.tileLayer(data.tileUrl, {
          attribution: data.attribution || "", maxZoom: 19
        }).addTo(map);
      }
      map.attributionControl.setPrefix(false);
      map.lbDistrictFeatures = [];
      map.lbDistricts = !data.districtsUrl ? Promise.resolve([]) : fetch(data.districtsUrl)
        .then(function (response) { return response.json(); })
        .then(function (collection) {
          map.lbDistrictFeatures = drawDistricts(map, collection);
          return map.lbDistrictFeatures;
        })
        .catch(function () { return []; });
      return map;
    },

    // The name of the district at ``latlng``, or null (outside, or no base layer).
    districtAt: function (map, latlng) {
      var found = (map.lbDistrictFeatures || []).find(function (feature) {
        return featureContains(feature, latlng.lng, latlng.lat);
      });
      return found ? found.properties.name : null;
    }
  };
})();
