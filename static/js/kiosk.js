// The window's rating kiosk (supervision/kiosk_views.py). On the idle screen and on a case to
// rate it asks every few seconds for what the kiosk should show now (the case just completed at
// the window, or nothing) and swaps it in when it changed, unless someone touched the screen a
// moment ago. After a rating (and on the comment asked after a poor level) it goes back to the
// idle screen once nobody has touched it for the reset time. No timed reload of the page: the
// poll replaces the stage in place, and the reset is one plain navigation.
(function () {
  "use strict";

  var POLLED = { idle: true, case: true };
  var RESET = { thanks: true, comment: true, refused: true };

  function stageState(stage) {
    var section = stage.querySelector("[data-kiosk-state]");
    if (!section) return "";
    return section.getAttribute("data-kiosk-state") + ":" + (section.getAttribute("data-case") || "");
  }

  function start() {
    var screen = document.querySelector(".kiosk-screen");
    var stage = document.getElementById("kiosk-stage");
    if (!screen || !stage) return;
    var home = screen.getAttribute("data-home-url");
    var currentUrl = screen.getAttribute("data-current-url");
    var resetSeconds = parseFloat(screen.getAttribute("data-reset-seconds")) || 60;
    var pollSeconds = parseFloat(screen.getAttribute("data-poll-seconds")) || 5;
    var lastInput = Date.now();

    ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { lastInput = Date.now(); }, true);
    });

    function currentScreen() {
      var section = stage.querySelector("[data-kiosk-state]");
      return section ? section.getAttribute("data-kiosk-state") : "";
    }

    // Back to the idle screen after the reset time without input.
    setInterval(function () {
      if (RESET[currentScreen()] && Date.now() - lastInput >= resetSeconds * 1000) {
        window.location.assign(home);
      }
    }, 250);

    if (!window.fetch) return;
    var busy = false;
    setInterval(function () {
      if (busy || !POLLED[currentScreen()]) return;
      // Someone is choosing: leave the screen as it is under their finger.
      if (currentScreen() === "case" && Date.now() - lastInput < pollSeconds * 1000) return;
      busy = true;
      fetch(currentUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (response.status === 403) {
            // Revoked or bound elsewhere: the page says so and shows nothing more.
            window.location.assign(home);
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (!html || !POLLED[currentScreen()]) return;
          var holder = document.createElement("div");
          holder.innerHTML = html;
          if (stageState(holder) === stageState(stage)) return;
          stage.innerHTML = holder.innerHTML;
          var title = document.getElementById("kiosk-title");
          if (title && currentScreen() === "case") title.focus();
        })
        .catch(function () { /* the network is back at the next poll */ })
        .then(function () { busy = false; });
    }, pollSeconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
