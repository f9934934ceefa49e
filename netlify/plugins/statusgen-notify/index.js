/*
 * statusgen-notify: tells subscribers once per production deploy.
 *
 * Before the build replaces anything, onPreBuild keeps a copy of the live site's
 * /api/events.json in .statusgen-previous/. Once the new deploy is live, onSuccess runs
 * `statusgen notify CONTENT --previous .statusgen-previous`, which sends the events the new
 * build has and the live one lacked to the channels of site.yml's `notify:`. A failed deploy
 * never reaches onSuccess, so nobody hears of what nobody can see. Deploy previews and branch
 * deploys tell nobody. .statusgen-cache/ (the build cache and the journal of what each channel
 * already received) travels in Netlify's cache, so later builds are faster and a rerun never
 * sends an event twice. When the live events cannot be read, the deploy still goes out (a status
 * page must publish even when notifications cannot) and the plugin fails, saying so.
 *
 * Node 20, no dependencies: Netlify loads it from the repository as it is.
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const CACHE = ".statusgen-cache";
const PREVIOUS = ".statusgen-previous";
const PREVIOUS_EVENTS = path.join(PREVIOUS, "api", "events.json");
// Present instead of the events file when the live site could not be read: onSuccess must not
// take "unknown" for "first deploy", which would send nothing, nor for "empty", which would
// send every event ever published.
const UNREADABLE = path.join(PREVIOUS, "UNREADABLE");
const FETCH_TIMEOUT_MS = 15000;

function isProduction() {
  return process.env.CONTEXT === "production";
}

/**
 * The live site's events.json: { body } (its exact bytes), { firstDeploy } (404: no site
 * yet, or one built before statusgen published events), or { problem } (why it is unknown).
 */
async function liveEvents(siteUrl) {
  if (!siteUrl) {
    return { problem: "the URL environment variable is not set, so the live site is unknown" };
  }
  const address = `${siteUrl.replace(/\/+$/, "")}/api/events.json`;
  let response;
  let body;
  try {
    response = await fetch(address, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    const reason = error.cause && error.cause.message ? error.cause.message : error.message;
    return { problem: `${address} could not be fetched: ${reason}` };
  }
  if (response.status === 404) {
    return { firstDeploy: true };
  }
  if (!response.ok) {
    return { problem: `${address} answered HTTP ${response.status}` };
  }
  let document;
  try {
    document = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return { problem: `${address} is not JSON: ${error.message}` };
  }
  if (document === null || typeof document !== "object" || !Array.isArray(document.events)) {
    return { problem: `${address} has no "events" list` };
  }
  return { body };
}

async function onPreBuild({ utils }) {
  await utils.cache.restore(CACHE);
  if (!isProduction()) {
    return;
  }
  // Never a copy left by an earlier build: only what is live now counts.
  fs.rmSync(PREVIOUS, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(PREVIOUS_EVENTS), { recursive: true });
  const live = await liveEvents(process.env.URL);
  if (live.body) {
    fs.writeFileSync(PREVIOUS_EVENTS, live.body);
  } else if (live.problem) {
    fs.writeFileSync(UNREADABLE, `${live.problem}\n`);
    console.warn(`statusgen-notify: ${live.problem}; the site deploys, notifications will not.`);
  }
}

async function onSuccess({ inputs, utils }) {
  if (!isProduction()) {
    utils.status.show({
      title: "No notification",
      summary: `A ${process.env.CONTEXT || "non-production"} deploy tells nobody.`,
    });
    return;
  }
  if (fs.existsSync(UNREADABLE)) {
    const problem = fs.readFileSync(UNREADABLE, "utf8").trim();
    await utils.cache.save(CACHE);
    utils.build.failPlugin(
      `No notification was sent: the events of the site that was live before this deploy ` +
        `could not be read (${problem}). The new deploy is live. To tell subscribers, run ` +
        `\`statusgen notify ${inputs.content} --previous <that earlier deploy's URL>\`.`,
    );
    return;
  }
  const args = ["notify", inputs.content, "--previous", PREVIOUS];
  if (inputs.now) {
    args.push("--now", inputs.now);
  }
  let result;
  try {
    // reject: false, so a failed channel still lets the journal be saved below.
    result = await utils.run("statusgen", args, { reject: false });
  } finally {
    // The journal records what went out: saved even after a failure, so a rerun sends only the rest.
    await utils.cache.save(CACHE);
  }
  if (result.exitCode !== 0) {
    const how =
      result.exitCode === undefined
        ? `could not run (${result.shortMessage || "statusgen is not on PATH"})`
        : `exited with status ${result.exitCode}`;
    utils.build.failPlugin(
      `statusgen notify ${how}: some notifications were not sent (its output above names the ` +
        `failed channels). The deploy is live; the journal keeps what they missed, and the ` +
        `next production deploy sends it.`,
    );
    return;
  }
  utils.status.show({
    title: "Subscribers notified",
    summary: "statusgen notify sent the events this deploy published.",
  });
}

module.exports = { onPreBuild, onSuccess };
