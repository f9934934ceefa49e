// Calls every read endpoint the npm `statuspage.io` client wraps, against a base URL given as
// the first argument (a statusgen site served on 127.0.0.1), and prints what the client
// returned as one JSON object: {method name: parsed response} or {method name: {error}}.
// tests/test_api_clients.py runs it with node and asserts on the output.
import { createRequire } from 'node:module';

// The client is installed in tools/node_modules (see tools/package.json), not beside this file.
const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const { Statuspage } = require('statuspage.io');

const baseUrl = process.argv[2];
if (!baseUrl) {
  console.error('usage: node statuspage_client.mjs http://127.0.0.1:PORT');
  process.exit(2);
}

const client = new Statuspage('statusgen'); // any page id: setApiUrl replaces the host
client.setApiUrl(baseUrl);

const calls = {
  getStatus: () => client.api.getStatus(),
  getSummary: () => client.api.getSummary(),
  getComponents: () => client.api.getComponents(),
  'incidents.getAll': () => client.api.incidents.getAll(),
  'incidents.getUnresolved': () => client.api.incidents.getUnresolved(),
  'scheduledMaintenances.getAll': () => client.api.scheduledMaintenances.getAll(),
  'scheduledMaintenances.getUpcoming': () => client.api.scheduledMaintenances.getUpcoming(),
  'scheduledMaintenances.getActive': () => client.api.scheduledMaintenances.getActive(),
};

const results = {};
for (const [name, call] of Object.entries(calls)) {
  try {
    results[name] = await call();
  } catch (error) {
    results[name] = { error: String(error && error.message ? error.message : error) };
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
