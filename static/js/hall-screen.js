// The hall's big screen: shows its panels one after the other and keeps the clock ticking.
// Every minute it reads the page again and puts in the fresh figures and results, keeping the
// panel on show (no timed reload of the page, which screen readers and axe object to).
(function () {
  "use strict";

  function startClock() {
    var clock = document.getElementById("screen-clock");
    if (!clock) return;
    var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      timeZone: "Asia/Shanghai",
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
    });
    function tick() { clock.textContent = format.format(new Date()); }
    tick();
    setInterval(tick, 1000);
  }

  function startCycling() {
    var holder = document.querySelector(".screen-panels");
    if (!holder) return;
    var panels = holder.querySelectorAll(".screen-panel");
    if (panels.length < 2) return;
    var seconds = parseInt(holder.getAttribute("data-cycle-seconds"), 10) || 15;
    var current = 0;
    // Without this script every panel stays on screen, one under the other.
    document.body.classList.add("cycling");
    setInterval(function () {
      panels = holder.querySelectorAll(".screen-panel");
      panels[current].classList.remove("active");
      current = (current + 1) % panels.length;
      panels[current].classList.add("active");
    }, seconds * 1000);
  }

  function startRefreshing() {
    var holder = document.querySelector(".screen-panels");
    if (!holder || !window.fetch || !window.DOMParser) return;
    var seconds = parseInt(holder.getAttribute("data-refresh-seconds"), 10) || 60;
    setInterval(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var panels = holder.querySelectorAll(".screen-panel");
          fresh.querySelectorAll(".screen-panel").forEach(function (panel, index) {
            if (panels[index]) {
              panels[index].innerHTML = panel.innerHTML;
            }
          });
        })
        .catch(function () { /* the network is back at the next minute */ });
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    startClock();
    startCycling();
    startRefreshing();
  });
})();
