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

// An upload form marked data-upload checks the chosen file's type and size in the browser
// before sending it (the limits and the words come from the server's widget attributes), then
// sends it with a progress bar. If the server refuses it anyway, the form is sent the ordinary
// way, so the page with the server's message replaces this one.
(function () {
  "use strict";

  function fieldError(input, message) {
    var wrapper = input.closest(".field") || input.parentNode;
    var old = wrapper.querySelector("[data-client-error]");
    if (old) {
      old.remove();
    }
    input.classList.toggle("is-invalid", Boolean(message));
    if (!message) {
      input.removeAttribute("aria-describedby");
      return;
    }
    var note = document.createElement("div");
    note.className = "invalid-feedback d-block";
    note.id = input.id + "_client_error";
    note.setAttribute("data-client-error", "");
    note.setAttribute("role", "alert");
    note.textContent = message;
    input.insertAdjacentElement("afterend", note);
    input.setAttribute("aria-describedby", note.id);
  }

  function problem(input) {
    var file = input.files && input.files[0];
    if (!file) {
      return null;
    }
    var accept = (input.getAttribute("accept") || "").toLowerCase().split(",");
    var dot = file.name.lastIndexOf(".");
    var ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
    if (accept.length && accept[0] !== "" && accept.indexOf(ext) < 0) {
      return input.getAttribute("data-type-error");
    }
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    if (max && file.size > max) {
      return input.getAttribute("data-size-error");
    }
    return null;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file" && input.form && input.form.hasAttribute("data-upload")) {
      fieldError(input, problem(input));
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-upload") || form.hasAttribute("data-plain-submit")) {
      return;
    }
    var input = form.querySelector("input[type=file]");
    if (!input || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    var message = problem(input);
    if (message) {
      event.preventDefault();
      fieldError(input, message);
      input.focus();
      return;
    }
    if (!input.files || !input.files.length) {
      return; // the server says a file is needed
    }
    event.preventDefault();
    var box = form.querySelector(".upload-progress");
    var bar = box && box.querySelector("progress");
    var percent = box && box.querySelector("[data-upload-percent]");
    var button = form.querySelector("button[type=submit]");
    if (box) {
      box.hidden = false;
    }
    if (button) {
      button.disabled = true;
    }
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action") || window.location.href);
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable && bar) {
        var value = Math.round((progress.loaded / progress.total) * 100);
        bar.value = value;
        if (percent) {
          percent.textContent = value + "%";
        }
      }
    });
    request.addEventListener("load", function () {
      if (request.status < 400 && request.responseURL) {
        window.location.assign(request.responseURL);
        return;
      }
      form.setAttribute("data-plain-submit", "");
      form.submit();
    });
    request.addEventListener("error", function () {
      form.setAttribute("data-plain-submit", "");
      form.submit();
    });
    request.send(new FormData(form));
  });
})();
