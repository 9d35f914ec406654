/* Keyboard shortcuts on a case: c = step note, r = reply, p = promise, s = resolve. */
(function () {
  "use strict";
  var targets = {c: ".step-form input[name=note]", r: "#reply select",
                 p: "#promise input[name=description]", s: "#resolve button"};
  document.addEventListener("keydown", function (e) {
    if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var selector = targets[e.key];
    var el = selector && document.querySelector(selector);
    if (el) { e.preventDefault(); el.focus(); }
  });
})();
