// Site-wide behaviour, loaded on every page (no inline script: the Content-Security-Policy
// forbids it). Each part works on the markup alone; without JavaScript the pages still work.
(function () {
  "use strict";

  // A refused form's error summary takes the focus, so a screen reader reads it first and the
  // keyboard starts from its links (the GOV.UK pattern).
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // A link of the error summary moves the focus to its field, not just the view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  // A form htmx swapped back in after a refusal.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();

// Fields marked data-show-when="<radio name>=<value>" show only while that choice is ticked
// (the postal address for delivery by post). Without a script every field stays in view.
(function () {
  "use strict";

  function sync(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (input) {
      var parts = input.getAttribute("data-show-when").split("=");
      var chosen = form.querySelector("input[name='" + parts[0] + "']:checked");
      var wrapper = input.closest(".field") || input;
      var shown = chosen !== null && chosen.value === parts[1];
      wrapper.hidden = !shown;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.form && event.target.type === "radio") {
      sync(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-when]")) {
        sync(form);
      }
    });
  });
})();
