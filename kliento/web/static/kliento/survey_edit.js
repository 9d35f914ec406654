/* The survey editor shows the texts of the language chosen for the preview. */
(function () {
  "use strict";
  var select = document.getElementById("preview-language");
  if (!select) { return; }
  select.addEventListener("change", function () {
    document.querySelectorAll(".lang-texts").forEach(function (block) {
      block.hidden = block.dataset.lang !== select.value;
    });
  });
})();
