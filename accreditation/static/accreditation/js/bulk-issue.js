// Bulk certificate issuance: "select all" on the start page, and live progress on a job's page.
// Both pages work without this file: the whole-cohort option stands in for "select all", and a
// Refresh link reloads the job's server-rendered state.
(function () {
  "use strict";

  function setUpSelectAll() {
    var all = document.querySelector("[data-bulk-select-all]");
    if (!all) {
      return;
    }
    var label = document.querySelector("[data-bulk-select-all-label]");
    var plain = document.querySelector("[data-bulk-select-none-js]");
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-bulk-item]"));
    all.hidden = false;
    if (label) {
      label.hidden = false;
    }
    if (plain) {
      plain.hidden = true;
    }
    function sync() {
      var checked = items.filter(function (item) { return item.checked; }).length;
      all.checked = checked === items.length && items.length > 0;
      all.indeterminate = checked > 0 && checked < items.length;
    }
    all.addEventListener("change", function () {
      items.forEach(function (item) { item.checked = all.checked; });
    });
    items.forEach(function (item) { item.addEventListener("change", sync); });
    sync();
  }

  var POLL_MS = 2000;

  function setUpProgress() {
    var job = document.getElementById("bulk-job");
    if (!job || job.dataset.finished === "true") {
      return;
    }
    var url = job.dataset.statusUrl;
    var bar = document.getElementById("bulk-progress");
    var timer = null;

    function show(data) {
      bar.max = data.total;
      bar.value = data.done + data.failed;
      bar.textContent = data.percent + "%";
      ["status_label", "done", "total", "failed"].forEach(function (name) {
        var field = job.querySelector('[data-field="' + name + '"]');
        if (field) {
          field.textContent = data[name];
        }
      });
    }

    function poll() {
      fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          show(data);
          if (data.finished) {
            // Stop polling; the server renders the finished page with its ZIP link and errors.
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () {
          // Keep the Refresh link; stop asking a server that refuses or has gone away.
          window.clearInterval(timer);
        });
    }

    timer = window.setInterval(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpSelectAll();
    setUpProgress();
  });
})();
