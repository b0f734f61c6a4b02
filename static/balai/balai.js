// Balai: small progressive enhancements. Pages work without this file.
(function () {
  "use strict";

  // <button data-balai-copy="#selector" data-balai-copied="Copied" hidden>: copy the text of
  // the target to the clipboard. The button stays hidden where the Clipboard API is missing.
  function setUpCopyButtons() {
    if (!navigator.clipboard) {
      return;
    }
    document.querySelectorAll("[data-balai-copy]").forEach(function (button) {
      var target = document.querySelector(button.getAttribute("data-balai-copy"));
      if (!target) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          var done = button.getAttribute("data-balai-copied");
          if (done) {
            button.textContent = done;
          }
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpCopyButtons);
  } else {
    setUpCopyButtons();
  }
})();
