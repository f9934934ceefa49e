// Progressive enhancement only: every page reads correctly without this script.
// 1. Times: rewritten into the visitor's own time zone.
// 2. Promises: a "next update by" time that has passed says so, in the visitor's clock.
// 3. Support hours: "open now" or "closed, opens at …", computed in the site's time zone.
// 4. Uptime tooltips (shown by CSS on hover and focus) stay inside the window and close with
//    Escape (WCAG 1.4.13).
// 5. Maintenance windows: a phase the clock decides ([data-phase][data-starts][data-ends])
//    moves on to "in progress", then "completed", at the visitor's own time.
// 6. An old copy: more than 10 minutes past the moment the page should have changed by itself
//    (body[data-next-change]), the notice #stale-note shows.
// Promises, windows and the notice are checked on load, then every 30 seconds.
(function () {
  "use strict";
  var fitTip = function (event) {
    var seg = event.target.closest ? event.target.closest(".seg") : null;
    if (!seg) { return; }
    seg.classList.remove("tip-start", "tip-end");
    var box = seg.querySelector(".tip").getBoundingClientRect(), room = document.documentElement.clientWidth;
    // The classes name the bar's start and end, which are its right and left on a right-to-left page.
    var rtl = getComputedStyle(seg).direction === "rtl";
    if (box.width > 1 && box.right > room) { seg.classList.add(rtl ? "tip-start" : "tip-end"); }
    else if (box.width > 1 && box.left < 0) { seg.classList.add(rtl ? "tip-end" : "tip-start"); }
  };
  document.addEventListener("mouseover", fitTip);
  document.addEventListener("focusin", fitTip);
  var closedTip = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var seg = document.querySelector(".seg:focus-within") || document.querySelector(".seg:hover");
    if (seg) { seg.classList.add("tip-closed"); closedTip = seg; }
  });
  var reopen = function (event) {
    if (closedTip && !closedTip.contains(event.target)) { closedTip.classList.remove("tip-closed"); closedTip = null; }
  };
  document.addEventListener("focusin", reopen);
  document.addEventListener("mouseover", reopen);

  if (!window.Intl || !Intl.DateTimeFormat) { return; }
  var lang = document.documentElement.lang || undefined;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var note = document.querySelector("[data-tz-note]");
  var siteZone = note ? note.getAttribute("data-site-zone") : null;
  var full = new Intl.DateTimeFormat(lang, {
    day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
  });
  var clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" });
  var bare = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  // "60=CET 120=CEST": in the site's own zone a time is named as the build names it (CET),
  // not as Intl does (GMT+1), so the script's words match the rest of the page.
  var zoneNames = {};
  ((note && note.getAttribute("data-zone-names")) || "").split(" ").forEach(function (pair) {
    var kv = pair.split("=");
    if (kv.length === 2) { zoneNames[kv[0]] = kv[1]; }
  });
  var clockText = function (when) {
    var name = zone === siteZone ? zoneNames[String(-when.getTimezoneOffset())] : null;
    return name ? bare.format(when) + " " + name : clock.format(when);
  };
  // The page's words, in its language: data attributes the build writes (never code).
  var textBlock = document.getElementById("page-text");
  var words = textBlock ? textBlock.dataset : {};
  var say = function (key, values) {
    return (words[key] || "").replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  };
  // English pages keep the built pages' order, "23 Nov 2026, 08:30 EST"; other languages
  // take the order their locale prefers, as the build does.
  var english = !lang || lang.slice(0, 2) === "en";
  var wallClock = function (when) {
    if (!english) { return full.format(when); }
    var p = {};
    full.formatToParts(when).forEach(function (x) { p[x.type] = x.value; });
    return p.day + " " + p.month + " " + p.year + ", " + p.hour + ":" + p.minute + " " + p.timeZoneName;
  };

  if (zone && zone !== siteZone) {
    var nodes = document.querySelectorAll("time[data-local]");
    for (var i = 0; i < nodes.length; i++) {
      var when = new Date(nodes[i].getAttribute("datetime"));
      if (!isNaN(when.getTime())) { nodes[i].textContent = wallClock(when); }
    }
    if (note) { note.textContent = say("zone", { zone: zone }); }
  }

  // A duration in the page's language with the browser's CLDR units (as the build uses
  // Babel's): "45 min", "2 hr 5 min", "2 h 5 min", "1 day 3 hr".
  var unit = function (value, name) {
    return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  };
  var durationText = function (minutes) {
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    if (minutes < 1) { return "< " + unit(1, "minute"); }
    if (d) { return unit(d, "day") + (h ? " " + unit(h, "hour") : ""); }
    if (h) { return unit(h, "hour") + (m ? " " + unit(m, "minute") : ""); }
    return unit(m, "minute");
  };

  var promises = document.querySelectorAll("[data-due]");
  var markOverdue = function (now) {
    for (var j = 0; j < promises.length; j++) {
      var due = new Date(promises[j].getAttribute("data-due"));
      var late = Math.floor((now - due.getTime()) / 60000);
      if (!isNaN(late) && late > 0) {
        promises[j].classList.add("overdue");
        promises[j].textContent = say("overdue", { time: clockText(due), ago: durationText(late) });
      }
    }
  };

  // A phase only moves forward from the built one: a visitor's clock that runs behind the
  // build's never turns work back into "scheduled".
  var phases = ["scheduled", "in_progress", "completed"];
  var phaseWords = { in_progress: words.inProgress, completed: words.completed };
  var windows = document.querySelectorAll("[data-phase][data-starts][data-ends]");
  var movePhases = function (now) {
    for (var k = 0; k < windows.length; k++) {
      var starts = Date.parse(windows[k].getAttribute("data-starts"));
      var ends = Date.parse(windows[k].getAttribute("data-ends"));
      var key = now >= ends ? "completed" : now >= starts ? "in_progress" : "scheduled";
      var label = windows[k].querySelector(".phase");
      var built = phases.indexOf(windows[k].getAttribute("data-phase"));
      if (!label || !phaseWords[key] || built < 0 || phases.indexOf(key) <= built) { continue; }
      label.className = label.className.replace(/\bphase-\w+/, "phase-" + key);
      label.textContent = phaseWords[key];
    }
  };

  var stale = document.getElementById("stale-note");
  var nextChange = Date.parse(document.body.getAttribute("data-next-change") || "");
  var staleTime = stale ? stale.querySelector("[data-stale-time]") : null;
  if (staleTime && !isNaN(nextChange) && zone && zone !== siteZone) {
    staleTime.textContent = wallClock(new Date(nextChange));
  }
  var showStale = function (now) {
    if (stale && !isNaN(nextChange)) { stale.hidden = now - nextChange <= 10 * 60000; }
  };

  var tick = function () {
    var now = Date.now();
    markOverdue(now);
    movePhases(now);
    showStale(now);
  };
  tick();
  setInterval(tick, 30000);

  var hours = document.querySelector("[data-open-state]");
  var section = document.querySelector(".support-hours");
  if (hours && section) {
    var siteZoneName = section.getAttribute("data-site-zone");
    var rows = section.querySelectorAll("tr[data-weekdays]");
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: siteZoneName, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
    var days = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
    var openAt = function (moment) {
      var p = {};
      parts.formatToParts(moment).forEach(function (x) { p[x.type] = x.value; });
      var day = days[p.weekday], minute = parseInt(p.hour, 10) * 60 + parseInt(p.minute, 10);
      for (var r = 0; r < rows.length; r++) {
        var weekdays = rows[r].getAttribute("data-weekdays").split(" ").map(Number);
        var opens = Number(rows[r].getAttribute("data-opens")), closes = Number(rows[r].getAttribute("data-closes"));
        if (weekdays.indexOf(day) >= 0 && minute >= opens && minute < closes) { return true; }
      }
      return false;
    };
    // Walk forward minute by minute (at most 8 days) to the next change of state.
    var now = new Date(), state = openAt(now), change = null;
    for (var step = 1; step <= 8 * 24 * 60; step++) {
      var t = new Date(now.getTime() + step * 60000);
      t.setSeconds(0, 0);
      if (openAt(t) !== state) { change = t; break; }
    }
    var dayName = new Intl.DateTimeFormat(lang, { weekday: "long" });
    var when = change ? (change.toDateString() === now.toDateString() ? clockText(change) : dayName.format(change) + " " + clockText(change)) : "";
    hours.textContent = state ? (when ? say("openUntil", { time: when }) : say("open"))
                              : (when ? say("closedUntil", { time: when }) : say("closed"));
    hours.className = "open-state " + (state ? "is-open" : "is-closed");
    hours.hidden = false;
  }
})();
