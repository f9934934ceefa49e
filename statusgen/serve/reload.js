// statusgen preview only: reload the page after each rebuild, show build errors over it.
// Served by `statusgen serve` at /__statusgen__/reload.js; never part of a built site.
(function () {
  "use strict";
  var overlay = null;

  function clear() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function show(text) {
    clear();
    overlay = document.createElement("div");
    overlay.id = "statusgen-preview-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;";
    var title = document.createElement("h2");
    title.textContent = "The build failed: the page shows the last good build.";
    title.style.cssText = "margin:0 0 1rem;font:bold 18px/1.3 system-ui,sans-serif;color:#ff8080;";
    var body = document.createElement("pre");
    body.textContent = text;  // text only: never parsed as HTML
    body.style.cssText = "margin:0;white-space:pre-wrap;";
    var hint = document.createElement("p");
    hint.textContent = "Fix the file and save: this page reloads by itself.";
    hint.style.cssText = "margin:1rem 0 0;color:#bbb;font-family:system-ui,sans-serif;";
    overlay.appendChild(title);
    overlay.appendChild(body);
    overlay.appendChild(hint);
    document.body.appendChild(overlay);
  }

  if (!window.EventSource) {
    return;
  }
  var events = new EventSource("/__statusgen__/events");
  events.addEventListener("reload", function () {
    clear();
    window.location.reload();
  });
  events.addEventListener("error", function (event) {
    // A named "error" event carries data; a lost connection is an "error" without data.
    if (typeof event.data === "string") {
      show(event.data);
    }
  });
})();
