// "Copy the link" beside a verification link: shown only where the browser can copy; without it
// the link stays selectable in its read-only field.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var done = button.parentElement.querySelector(".copy-link__done");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { if (done) done.textContent = "Link copied."; },
        function () { field.select(); if (done) done.textContent = "Select the link and copy it."; }
      );
    });
  });
})();
