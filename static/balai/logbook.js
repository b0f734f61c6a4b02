// The logbook's fast entry page: Enter saves from any field (checkboxes and radios included),
// and the first field gets the focus again. The page works without this file (autofocus, a
// submit button, Enter in the text fields).
(function () {
  "use strict";

  function setUp() {
    var form = document.querySelector("form[data-balai-logbook]");
    if (!form) {
      return;
    }
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing) {
        return;
      }
      var target = event.target;
      if (target.tagName === "TEXTAREA" || target.tagName === "BUTTON" || target.tagName === "A") {
        return;
      }
      event.preventDefault();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
    var first = form.querySelector("[autofocus]");
    if (first && document.activeElement !== first) {
      first.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
