/*
 * Runs one hook of a Netlify build plugin the way Netlify Build calls it, for
 * tests/test_netlify_plugin.py.
 *
 *   node netlify_plugin_driver.js PLUGIN_DIR HOOK INPUTS_JSON CACHE_DIR
 *
 * `utils` is a small stand-in for Netlify's: cache.restore/save copy between the working folder
 * and CACHE_DIR (Netlify's cache across builds); run starts a real process (execa's defaults in
 * Netlify: inherited stdio, and with reject: false an exit status rather than an exception);
 * build.failPlugin throws, as Netlify's does, after recording its message. The hook's result is
 * printed on stdout as JSON; everything the plugin or its commands print goes to stderr.
 */
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const [pluginDir, hook, inputsJson, cacheDir] = process.argv.slice(2);
const result = { failPlugin: null, error: null, statuses: [], runs: [], restored: [], saved: [] };

class PluginFailed extends Error {}

const utils = {
  cache: {
    async restore(relative) {
      const stored = path.join(cacheDir, relative);
      if (!fs.existsSync(stored)) {
        return false;
      }
      fs.cpSync(stored, relative, { recursive: true });
      result.restored.push(relative);
      return true;
    },
    async save(relative) {
      if (!fs.existsSync(relative)) {
        return false;
      }
      const stored = path.join(cacheDir, relative);
      fs.rmSync(stored, { recursive: true, force: true });
      fs.cpSync(relative, stored, { recursive: true });
      result.saved.push(relative);
      return true;
    },
  },
  async run(command, args = [], options = {}) {
    const child = spawnSync(command, args, { stdio: ["inherit", 2, 2] });
    const run = { command, args, exitCode: child.error ? null : child.status };
    result.runs.push(run);
    if (child.error) {
      if (options.reject === false) {
        return { failed: true, exitCode: undefined, shortMessage: child.error.message };
      }
      throw child.error;
    }
    if (child.status !== 0 && options.reject !== false) {
      throw new Error(`Command failed with exit code ${child.status}: ${command}`);
    }
    return { failed: child.status !== 0, exitCode: child.status };
  },
  build: {
    failPlugin(message) {
      result.failPlugin = message;
      throw new PluginFailed(message);
    },
  },
  status: {
    show(status) {
      result.statuses.push(status);
    },
  },
};

async function main() {
  console.log = console.error; // stdout carries the result only
  const plugin = require(path.resolve(pluginDir));
  try {
    await plugin[hook]({ inputs: JSON.parse(inputsJson), constants: {}, utils });
  } catch (error) {
    if (!(error instanceof PluginFailed)) {
      result.error = String(error && error.stack ? error.stack : error);
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
