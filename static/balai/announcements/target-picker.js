// Target picker: choosing a kecamatan narrows the list to its desa/kelurahan and their RW/RT.
// Without JavaScript the full list works as it is.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var wrap = document.querySelector(".balai-picker-filter");
    var filter = document.getElementById("picker-kecamatan");
    var list = document.querySelector(".balai-target-picker select[multiple]");
    if (!wrap || !filter || !list) return;
    wrap.hidden = false;
    filter.addEventListener("change", function () {
      var code = filter.value;
      Array.prototype.forEach.call(list.options, function (option) {
        var kec = option.getAttribute("data-kecamatan") || "";
        // The whole-Pemda choice (no kecamatan) and chosen options always stay visible.
        option.hidden = Boolean(code) && kec !== code && !option.selected && kec !== "";
      });
    });
  });
})();
