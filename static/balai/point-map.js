// A small read-only map of one office: Leaflet reads the position from data-* attributes.
// Progressive enhancement: without JavaScript the map stays hidden; the address and the
// OpenStreetMap link remain.
(function () {
  "use strict";
  function init(box) {
    if (typeof L === "undefined") { return; }
    var lat = parseFloat(box.dataset.lat);
    var lng = parseFloat(box.dataset.lng);
    if (isNaN(lat) || isNaN(lng)) { return; }
    box.hidden = false;
    var map = L.map(box, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false });
    map.setView([lat, lng], 16);
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    var marker = L.marker([lat, lng], { title: box.dataset.name, alt: box.dataset.name }).addTo(map);
    marker.bindPopup(document.createTextNode(box.dataset.name));
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".balai-point-map").forEach(init);
  });
})();
