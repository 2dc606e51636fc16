// After a form comes back with errors, move focus to its error summary, so a screen reader
// announces the problems and a keyboard user can follow each link to its field. Without
// JavaScript the summary is still the first thing in the main content.
document.addEventListener("DOMContentLoaded", () => {
    const summary = document.querySelector(".error-summary[data-autofocus]");
    if (summary) {
        summary.focus();
    }
});
