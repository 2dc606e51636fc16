// Warn a signed-in person before the idle limit signs them out, so that work in progress (a
// long reflection, a register entry) is not lost. "Stay signed in" sends a request, which the
// server counts as activity; once the limit has passed, the dialog says so and leaves the page
// as it is, so that anything typed can still be copied.
(function () {
  "use strict";

  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var warning = dialog.querySelector('[data-state="warning"]');
  var signedOut = dialog.querySelector('[data-state="signed-out"]');
  var countdown = dialog.querySelector("[data-countdown]");
  var form = warning.querySelector("form");
  var limitSeconds = parseInt(dialog.getAttribute("data-limit-seconds"), 10);
  var warnSeconds = parseInt(dialog.getAttribute("data-warn-seconds"), 10);
  var deadline = 0;
  var warnTimer = null;
  var tickTimer = null;
  var expired = false;

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function secondsLeft() {
    return Math.max(0, Math.round((deadline - Date.now()) / 1000));
  }

  function describe(seconds) {
    var minutes = Math.floor(seconds / 60);
    if (minutes >= 1) {
      // Whole minutes, rounded down, so the text never promises more time than there is.
      return plural(minutes, "minute");
    }
    return plural(Math.max(seconds, 1), "second");
  }

  function schedule(seconds) {
    deadline = Date.now() + seconds * 1000;
    window.clearTimeout(warnTimer);
    window.clearInterval(tickTimer);
    warnTimer = window.setTimeout(warn, Math.max(0, (seconds - warnSeconds) * 1000));
  }

  function tick() {
    var left = secondsLeft();
    if (left <= 0) {
      showSignedOut();
      return;
    }
    countdown.textContent = describe(left);
  }

  function warn() {
    warning.hidden = false;
    signedOut.hidden = true;
    dialog.setAttribute("aria-labelledby", "idle-warning-title");
    dialog.setAttribute("aria-describedby", "idle-warning-text");
    tick();
    // Updated quietly: a screen reader hears the dialog once, not a countdown every second.
    tickTimer = window.setInterval(tick, 1000);
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function showSignedOut() {
    expired = true;
    window.clearInterval(tickTimer);
    warning.hidden = true;
    signedOut.hidden = false;
    dialog.setAttribute("aria-labelledby", "idle-warning-signed-out-title");
    dialog.setAttribute("aria-describedby", "idle-warning-signed-out-text");
    if (!dialog.open) {
      dialog.showModal();
    }
    signedOut.querySelector("[data-sign-in]").focus();
  }

  function staySignedIn() {
    window.clearInterval(tickTimer);
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (response.status !== 204) {
          throw new Error("signed out");
        }
        dialog.close();
        schedule(limitSeconds);
      })
      .catch(showSignedOut);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    staySignedIn();
  });
  // Escape on the warning means "stay signed in"; on the signed-out message it just closes it.
  dialog.addEventListener("cancel", function (event) {
    if (!expired) {
      event.preventDefault();
      staySignedIn();
    }
  });
  signedOut.querySelector("[data-close]").addEventListener("click", function () {
    dialog.close();
  });

  schedule(parseInt(dialog.getAttribute("data-seconds-left"), 10));
})();
