// The hall's big screen: shows its panels one after the other and keeps the clock ticking.
// The page itself reloads every minute (<meta http-equiv="refresh">) for fresh figures.
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
      panels[current].classList.remove("active");
      current = (current + 1) % panels.length;
      panels[current].classList.add("active");
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    startClock();
    startCycling();
  });
})();
