// Coverage map of an outreach program: each place filled by its status (reached, planned,
// not yet). Reads its GeoJSON from a <script type="application/json"> block (no inline script).
(function () {
  "use strict";
  var COLORS = { reached: "#146c43", planned: "#0d6efd", earlier: "#a3cfbb", not_yet: "#adb5bd" };
  function init(box) {
    if (typeof L === "undefined") { return; }
    var source = document.getElementById(box.dataset.source);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(box);
    L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution }).addTo(map);
    var layer = L.geoJSON(data, {
      style: function (f) {
        var color = COLORS[f.properties.status] || COLORS.not_yet;
        return { color: "#495057", weight: 0.6, fillColor: color, fillOpacity: 0.6 };
      },
      onEachFeature: function (f, shape) {
        var p = f.properties;
        var labels = {
          reached: box.dataset.labelReached, planned: box.dataset.labelPlanned,
          earlier: box.dataset.labelEarlier, not_yet: box.dataset.labelNotyet
        };
        var text = p.name + " (" + p.kecamatan + "): " + (labels[p.status] || p.status);
        if (p.date) { text += ", " + p.date; }
        if (p.km !== null) { text += ", " + p.km + " km"; }
        shape.bindTooltip(text);
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    box.dataset.ready = "1";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".balai-coverage-map").forEach(init);
  });
})();
