// The reflective statement's word count, updated as the trainee types. The page works without
// this file: the server writes the count of the saved statement in the same words.
(function () {
  "use strict";

  var output = document.querySelector("[data-word-count-for]");
  if (!output) {
    return;
  }
  var field = document.getElementById(output.getAttribute("data-word-count-for"));
  if (!field) {
    return;
  }
  var minimum = parseInt(output.getAttribute("data-word-count-minimum"), 10) || 0;
  var timer = null;

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function update() {
    var words = countWords(field.value);
    var sentence = "You have written " + words + (words === 1 ? " word." : " words.");
    if (minimum) {
      if (words < minimum) {
        sentence += " Write at least " + (minimum - words) + " more: the minimum is " + minimum + " words.";
      } else {
        sentence += " That meets the minimum of " + minimum + " words.";
      }
    }
    output.textContent = sentence;
  }

  // Text typed (or restored by the browser) before this file ran fired its input events with
  // nobody listening: count what the box holds now, before the count is made live.
  update();
  // Announced politely, once the trainee pauses, rather than at every key.
  output.setAttribute("aria-live", "polite");
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 500);
  });
})();
