/* Kliento feedback widget: asks one rating and a comment, in the visitor's language. */
(function () {
  "use strict";
  var C = {{ config|safe }};
  if (window.__klientoWidget) { return; }
  window.__klientoWidget = true;
  var nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  var lang = (document.documentElement.lang || nav).toLowerCase();
  if (lang.indexOf("sr") === 0) { lang = /latn|-la/.test(lang) ? "sr-latn" : "sr"; }
  else { lang = lang.slice(0, 2); }
  if (C.languages.indexOf(lang) < 0) { lang = "en"; }
  var T = C.texts[lang], U = C.chrome[lang];
  var visitor;
  try { visitor = localStorage.getItem("klientoVisitor"); } catch (e) { visitor = null; }
  if (!visitor) {
    visitor = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
    try { localStorage.setItem("klientoVisitor", visitor); } catch (e) { /* private mode */ }
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    // Styles through the CSSOM, not a style attribute: a host page whose Content-Security-Policy
    // forbids inline styles still shows the widget.
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "style") { node.style.cssText = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    if (text) { node.textContent = text; }  // customer-facing text is never parsed as HTML
    return node;
  }
  var box = el("form", {"class": "kliento-widget", "aria-label": T.question,
    "style": "position:fixed;right:16px;bottom:16px;z-index:2147483000;max-width:320px;background:#fff;border:1px solid #d9dee7;border-top:4px solid " + C.colour + ";border-radius:8px;padding:12px;font:14px/1.4 system-ui,sans-serif;color:#1d2430;box-shadow:0 4px 16px rgba(0,0,0,.12)"});
  box.appendChild(el("p", {"style": "margin:0 0 8px;font-weight:600"}, T.question));
  var row = el("div", {"style": "display:flex;gap:4px;flex-wrap:wrap"});
  var chosen = null;
  C.scores.forEach(function (s) {
    var label = C.kind === "thumbs" ? (s ? "\uD83D\uDC4D" : "\uD83D\uDC4E") : String(s);
    var b = el("button", {"type": "button", "data-score": String(s), "aria-pressed": "false",
      "style": "min-width:28px;padding:4px 6px;border:1px solid #d9dee7;border-radius:4px;background:#fff;cursor:pointer"}, label);
    b.addEventListener("click", function () {
      chosen = s;
      Array.prototype.forEach.call(row.children, function (x) {
        var on = x === b; x.setAttribute("aria-pressed", on ? "true" : "false");
        x.style.background = on ? C.colour : "#fff"; x.style.color = on ? "#fff" : "#1d2430";
      });
      more.style.display = "block";
    });
    row.appendChild(b);
  });
  box.appendChild(row);
  var more = el("div", {"style": "display:none;margin-top:8px"});
  var text = el("textarea", {"rows": "3", "maxlength": "10000", "aria-label": U.comment, "placeholder": U.comment, "style": "width:100%;box-sizing:border-box"});
  var email = el("input", {"type": "email", "maxlength": "254", "aria-label": U.email, "placeholder": U.email, "style": "width:100%;box-sizing:border-box;margin-top:4px"});
  var send = el("button", {"type": "submit", "style": "margin-top:6px;padding:6px 12px;border:0;border-radius:4px;color:#fff;background:" + C.colour}, U.send);
  more.appendChild(text); more.appendChild(email); more.appendChild(send);
  box.appendChild(more);
  var status = el("p", {"role": "status", "style": "margin:8px 0 0"});
  box.appendChild(status);
  box.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (chosen === null) { return; }
    send.disabled = true;
    fetch(C.endpoint, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({score: chosen, text: text.value, email: email.value, visitor: visitor,
                            language: lang, page: location.href})})
      .then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        while (box.firstChild) { box.removeChild(box.firstChild); }
        box.appendChild(el("p", {"style": "margin:0"}, T.thank_you));
      })
      .catch(function () { status.textContent = U.error; send.disabled = false; });
  });
  function mount() { document.body.appendChild(box); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
