// The map of the events on the page: progressive enhancement of the list, which works without
// it. Each event with a known place carries data-lat, data-lng, data-title and data-href; its
// marker's popup links to the event's page. Served from the site itself, like Leaflet.
// The words the map shows itself (its buttons' names, Leaflet's credit) come from the page, in
// its language: the map's data-zoom-in, data-zoom-out, data-close-popup and data-leaflet-title.
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
  var words = container.dataset;
  var map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
  L.control.zoom({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut }).addTo(map);
  map.attributionControl.setPrefix(leafletCredit(words.leafletTitle));
  var credit = document.createElement("span");
  credit.textContent = container.getAttribute("data-attribution");
  L.tileLayer(container.getAttribute("data-tiles"), { maxZoom: 18, attribution: credit.innerHTML }).addTo(map);
  map.on("popupopen", function (event) {
    // Leaflet names its close button in English, with no option to name it otherwise.
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) {
      close.setAttribute("aria-label", words.closePopup);
    }
  });
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

  // Leaflet's own credit (its link and flag), its link's title in the page's language.
  function leafletCredit(title) {
    var holder = document.createElement("span");
    holder.innerHTML = L.Control.Attribution.prototype.options.prefix;
    var link = holder.querySelector("a");
    if (link) {
      link.title = title;
    }
    return holder.innerHTML;
  }
})();
