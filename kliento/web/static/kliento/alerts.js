/* Optional browser notifications on the alerts page: asked for only when the person clicks. */
(function () {
  "use strict";
  var button = document.getElementById("notify-me");
  if (!button || !("Notification" in window)) { return; }
  if (Notification.permission !== "granted") { button.hidden = false; }
  button.addEventListener("click", function () {
    Notification.requestPermission().then(function () {
      button.hidden = Notification.permission === "granted";
    });
  });
  var seen = null;
  setInterval(function () {
    fetch(button.dataset.countUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (seen !== null && d.newest && d.newest !== seen && Notification.permission === "granted") {
          new Notification("Kliento", {body: button.dataset.message});
        }
        seen = d.newest;
      });
  }, 10000);
})();
