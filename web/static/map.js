// The map of the events on the page: progressive enhancement of the list, which works without
// it. Each event with a known place carries data-lat, data-lng, data-title and data-href; its
// marker's popup links to the event's page. Served from the site itself, like Leaflet.
(function () {
  "use strict";
  var container = document.getElementById("map");
  if (!container || !window.L) {
    return;
  }
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-lat][data-lng]"));
  if (!items.length) {
    return;  // nothing to place: the map's section stays hidden
  }
  container.closest("section").hidden = false;
  var map = L.map(container, { scrollWheelZoom: false });
  var credit = document.createElement("span");
  credit.textContent = container.getAttribute("data-attribution");
  L.tileLayer(container.getAttribute("data-tiles"), { maxZoom: 18, attribution: credit.innerHTML }).addTo(map);
  var points = items.map(function (item) {
    var point = [parseFloat(item.getAttribute("data-lat")), parseFloat(item.getAttribute("data-lng"))];
    var title = item.getAttribute("data-title");
    var popup = document.createElement("a");
    popup.href = item.getAttribute("data-href");
    popup.textContent = title;
    L.marker(point, { title: title, alt: title }).bindPopup(popup).addTo(map);
    return point;
  });
  map.fitBounds(points, { maxZoom: 11, padding: [24, 24] });
})();
