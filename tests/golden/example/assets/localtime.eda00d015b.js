// Progressive enhancement: rewrite times into the visitor's own time zone.
// Without JavaScript every time reads correctly in the site's zone, with its abbreviation.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var note = document.querySelector("[data-tz-note]");
  if (!zone || (note && note.getAttribute("data-site-zone") === zone)) { return; }
  var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
  });
  var nodes = document.querySelectorAll("time[data-local]");
  for (var i = 0; i < nodes.length; i++) {
    var when = new Date(nodes[i].getAttribute("datetime"));
    if (!isNaN(when.getTime())) { nodes[i].textContent = format.format(when); }
  }
  if (note) { note.textContent = "Times are shown in your time zone (" + zone + ")."; }
})();
