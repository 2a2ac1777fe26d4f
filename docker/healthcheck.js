#!/usr/bin/env node
'use strict';
// Docker HEALTHCHECK for the one Vigil image (slim images have no curl): GET /healthz on the
// running service's own port, which its <SERVICE>_PORT env var may override. Exit 0 healthy,
// 1 unhealthy. A container running the CLI (e.g. a migrate one-shot) has no service and is
// reported healthy: the one-shot's exit code is what matters there.
const fs = require('node:fs');
const http = require('node:http');

const PORTS = {
  gateway: ['GATEWAY_PORT', 8080],
  ingestion: ['INGESTION_PORT', 9101],
  detection: ['DETECTION_PORT', 9102],
  classification: ['CLASSIFICATION_PORT', 9103],
  'model-registry': ['MODEL_REGISTRY_PORT', 9104],
  'self-healing': ['SELF_HEALING_PORT', 9105],
};

// `docker run IMAGE detection` selects the service by argument: read it from PID 1's argv.
function serviceFromPid1() {
  try {
    const argv = fs.readFileSync('/proc/1/cmdline', 'utf8').split('\0');
    return argv.find((arg) => Object.hasOwn(PORTS, arg));
  } catch {
    return undefined;
  }
}

const service = serviceFromPid1() ?? process.env.VIGIL_SERVICE;
if (!service || !Object.hasOwn(PORTS, service)) process.exit(0);
const [envKey, defaultPort] = PORTS[service];
const port = Number(process.env[envKey] ?? defaultPort);
const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2500 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));
