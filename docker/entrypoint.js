#!/usr/bin/env node
'use strict';
// Container entrypoint of the one Vigil image. Picks what the container runs:
//   - a service name as first argument, or VIGIL_SERVICE when there are no arguments:
//     that service's compiled main (dist/apps/<service>/src/main.js);
//   - any other arguments: the `vigil` CLI with them (e.g. `migrate`, `analyze FILE`).
// The service runs in this very process (require, not spawn), so SIGTERM from the runtime
// reaches the service's own drain logic with no shell or supervisor in between.
const fs = require('node:fs');
const path = require('node:path');

const SERVICES = ['gateway', 'ingestion', 'detection', 'classification', 'model-registry', 'self-healing'];
const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);

function fail(message) {
  process.stderr.write(`vigil-entrypoint: ${message}\n`);
  process.exit(2);
}

function runService(service) {
  const main = path.join(root, 'dist', 'apps', service, 'src', 'main.js');
  if (!fs.existsSync(main)) fail(`${main} is missing: the image was built without ${service}`);
  process.env.VIGIL_SERVICE = service;
  process.argv = [process.argv[0], main];
  require(main);
}

function runCli(cliArgs) {
  const bin = path.join(root, 'apps', 'cli', 'bin', 'vigil.js');
  process.argv = [process.argv[0], bin, ...cliArgs];
  require(bin);
}

if (args.length > 0 && SERVICES.includes(args[0])) {
  if (args.length > 1) fail(`a service takes no arguments (got: ${args.slice(1).join(' ')}); configure it with env vars`);
  runService(args[0]);
} else if (args.length > 0) {
  runCli(args[0] === 'vigil' ? args.slice(1) : args);
} else if (process.env.VIGIL_SERVICE) {
  if (!SERVICES.includes(process.env.VIGIL_SERVICE)) {
    fail(`VIGIL_SERVICE=${process.env.VIGIL_SERVICE} is not one of ${SERVICES.join(', ')}`);
  }
  runService(process.env.VIGIL_SERVICE);
} else {
  fail(`nothing to run: set VIGIL_SERVICE to one of ${SERVICES.join(', ')}, or pass a vigil command (e.g. migrate)`);
}
