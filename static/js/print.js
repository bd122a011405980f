// Buttons marked data-print open the browser's print dialog. A script file rather than an
// onclick attribute, so the pages work under a Content-Security-Policy without 'unsafe-inline'.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
