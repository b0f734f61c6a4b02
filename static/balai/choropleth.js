// Kecamatan map of the evaluation page: fill by number of complaints, red edge where late.
// Reads its GeoJSON from a <script type="application/json"> block (no inline script).
(function () {
  "use strict";
  function init(box) {
    if (typeof L === "undefined") { return; }
    var source = document.getElementById(box.dataset.source);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var max = 1;
    data.features.forEach(function (f) { max = Math.max(max, f.properties.complaints); });
    var map = L.map(box);
    L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution }).addTo(map);
    var layer = L.geoJSON(data, {
      style: function (f) {
        var share = f.properties.complaints / max;
        return {
          color: f.properties.breaches ? "#b02a37" : "#146c43",
          weight: f.properties.breaches ? 3 : 1,
          fillColor: "#146c43",
          fillOpacity: 0.1 + 0.6 * share
        };
      },
      onEachFeature: function (f, shape) {
        shape.bindTooltip(
          f.properties.name + ": " + f.properties.complaints + " " + box.dataset.labelComplaints +
          ", " + f.properties.breaches + " " + box.dataset.labelBreaches
        );
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".balai-choropleth").forEach(init);
  });
})();
