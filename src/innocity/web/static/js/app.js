// Every page: mark that scripts run (CSS hides what only the no-script page needs) and clear notices.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("htmx:afterSwap", function (event) {
  var flash = document.getElementById("flash");
  if (event.detail && event.detail.target === flash && flash.textContent.trim()) {
    window.clearTimeout(flash._timer);
    flash._timer = window.setTimeout(function () { flash.replaceChildren(); }, 8000);
  }
});

document.addEventListener("click", function (event) {
  var flash = document.getElementById("flash");
  if (flash && flash.contains(event.target)) { flash.replaceChildren(); }
});
