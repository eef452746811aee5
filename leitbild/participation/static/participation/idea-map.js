// Map of ideas: loads the markers of the visible area only (GeoJSON with bbox) and clusters
// them, so the page stays fast with thousands of ideas. Beside the map, the same ideas as a
// list of links, with the count announced in a live region.
//
// By keyboard: Tab reaches every marker and cluster (named "17 Ideen in Altstadt"), Enter
// opens a marker's popup (or zooms into a cluster), Tab then moves into the popup to its link,
// Escape closes the popup and returns to the marker.
(function () {
  "use strict";
  var LIST_LIMIT = 200;

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

  // A cluster's icon with a name for screen readers and a tooltip for the mouse.
  var NamedIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var icon = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      icon.setAttribute("aria-label", this.options.label);
      icon.title = this.options.label;
      return icon;
    }
  });

  function clusterIcon(map, cluster) {
    var count = cluster.getChildCount();
    var district = window.LeitbildMap.districtAt(map, cluster.getLatLng());
    var name = district
      ? interpolate(gettext("%(count)s Ideen in %(district)s"), {count: count, district: district},
                    true)
      : interpolate(gettext("%(count)s Ideen hier"), {count: count}, true);
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = document.createElement("div");
    var number = document.createElement("span");
    number.textContent = String(count);
    inner.appendChild(number);
    return new NamedIcon({html: inner, className: "marker-cluster marker-cluster-" + size,
                          iconSize: L.point(40, 40), label: name});
  }

  function listItem(feature) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.className = "kern-link";
    link.href = feature.properties.url;
    link.textContent = feature.properties.title;
    item.appendChild(link);
    return item;
  }

  function showList(list, more, features) {
    var sorted = features.slice().sort(function (a, b) {
      return a.properties.title.localeCompare(b.properties.title, document.documentElement.lang);
    });
    list.replaceChildren.apply(list, sorted.slice(0, LIST_LIMIT).map(listItem));
    more.hidden = sorted.length <= LIST_LIMIT;
    more.textContent = more.hidden ? "" : interpolate(
      gettext("Die Liste zeigt die ersten %(shown)s. Zoomen Sie hinein, um alle zu sehen."),
      {shown: LIST_LIMIT}, true);
  }

  function init() {
    var element = document.getElementById("ideen-karte");
    if (!element || typeof L === "undefined" || !window.LeitbildMap) { return; }
    var status = document.getElementById("karte-status");
    var aside = document.getElementById("karte-liste-bereich");
    var list = document.getElementById("karte-liste");
    var more = document.getElementById("karte-liste-mehr");
    if (aside) { aside.hidden = false; }
    var map = window.LeitbildMap.create(element, {keyboard: true});
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false,
      iconCreateFunction: function (c) { return clusterIcon(map, c); }
    });
    map.addLayer(cluster);
    var markers = {};  // feature id → marker, kept across loads so an open popup stays open
    var opener = null;  // the marker whose popup is open
    var controller = null;
    var timer = null;

    function marker(feature) {
      var c = feature.geometry.coordinates;
      var m = L.marker([c[1], c[0]], {title: feature.properties.title,
                                      alt: feature.properties.title});
      m.bindPopup(function () { return popup(feature); }, {autoPanPadding: L.point(40, 40)});
      return m;
    }

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
          var next = {}, added = [], removed = [];
          data.features.forEach(function (feature) {
            var key = String(feature.id);
            next[key] = markers[key] || marker(feature);
            if (!markers[key]) { added.push(next[key]); }
          });
          Object.keys(markers).forEach(function (key) {
            if (!next[key]) { removed.push(markers[key]); }
          });
          markers = next;
          cluster.removeLayers(removed);
          cluster.addLayers(added);
          if (list) { showList(list, more, data.features); }
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

    function popupLink() {
      var open = opener && opener.getPopup();
      var content = open && open.isOpen() && open.getElement();
      return content ? content.querySelector(".leaflet-popup-content a") : null;
    }

    map.on("popupopen", function (event) {
      opener = event.popup._source || null;
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", gettext("Schließen")); }
    });
    map.on("popupclose", function () { opener = null; });
    // A cluster opened by Enter disappears: the focus goes to the map, not to the page's start.
    cluster.on("clusterclick", function () {
      map.once("moveend", function () { element.focus({preventScroll: true}); });
    });
    element.addEventListener("keydown", function (event) {
      var link = popupLink();
      var icon = opener && opener.getElement();
      if (event.key === "Escape" && link) {
        event.preventDefault();
        event.stopPropagation();
        map.closePopup();
        if (icon) { icon.focus(); }
      } else if (event.key === "Tab" && link && icon) {
        // The popup's pane comes after all markers in the page: go there directly and back.
        if (!event.shiftKey && document.activeElement === icon) {
          event.preventDefault();
          link.focus();
        } else if (event.shiftKey && document.activeElement === link) {
          event.preventDefault();
          icon.focus();
        }
      }
    });
    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 250);
    });
    // Clusters are named after their district: load the markers once the districts are there.
    map.lbDistricts.then(load);
  }
  document.addEventListener("DOMContentLoaded", init);
})();
