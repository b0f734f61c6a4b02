// Location picker for forms: a Leaflet map that fills the hidden lat/lng inputs.
// Progressive enhancement: without JavaScript the map stays hidden and the village select works.
(function () {
  "use strict";
  function init(box) {
    if (typeof L === "undefined") { return; }
    var form = box.closest("form");
    var lat = form.querySelector("input[name=lat]");
    var lng = form.querySelector("input[name=lng]");
    box.hidden = false;
    var start = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)];
    var map = L.map(box.querySelector(".balai-map")).setView(start, 12);
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
    }
    if (lat.value && lng.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lng.value))); }
    map.on("click", function (event) { place(event.latlng); });
    box.querySelector(".balai-map-clear").addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = ""; lng.value = "";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".balai-map-pick").forEach(init);
  });
})();
