#!/usr/bin/env node
// `npm start [-- SERVICE...]`: builds dist/ when it is missing or older than the sources,
// runs `vigil migrate` (every service), then runs each service as its own process against
// NATS_URL and DATABASE_URL. Output stays one JSON object per line (pipe it to jq); on a
// terminal each line is also prefixed with the service name. SIGINT/SIGTERM are forwarded
// to every service and start exits once they have all stopped; if one service dies on its
// own, the others are stopped and start exits non-zero.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const SERVICES = ['gateway', 'ingestion', 'detection', 'classification', 'model-registry', 'self-healing'];
const pretty = Boolean(process.stdout.isTTY);
const width = Math.max(...SERVICES.map((s) => s.length));

function log(level, msg, fields = {}) {
  emit('start', JSON.stringify({ level, time: new Date().toISOString(), service: 'start', msg, ...fields }));
}

function emit(service, jsonLine) {
  process.stdout.write(pretty ? `${service.padEnd(width)} | ${jsonLine}\n` : `${jsonLine}\n`);
}

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(p));
    else if (entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

// tools/build.js links the libs into dist/node_modules/@vigil last: those files date the build.
function buildIsStale() {
  const links = path.join(root, 'dist', 'node_modules', '@vigil');
  if (!fs.existsSync(links)) return true;
  const stamps = fs.readdirSync(links).map((lib) => path.join(links, lib, 'package.json')).filter((p) => fs.existsSync(p));
  if (stamps.length === 0) return true;
  const built = Math.min(...stamps.map((p) => fs.statSync(p).mtimeMs));
  return ['apps', 'libs'].some((top) => newestSourceMtime(path.join(root, top)) > built);
}

function runStep(name, args) {
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.status !== 0) {
    log('fatal', `${name} failed`, { exitCode: result.status, output });
    process.exit(result.status || 1);
  }
  log('info', `${name} done`, { ms: Date.now() - started, output: output === '' ? undefined : output.split('\n') });
}

function pipeLines(service, stream, streamName) {
  readline.createInterface({ input: stream }).on('line', (line) => {
    if (line.startsWith('{')) return emit(service, line);
    // A non-JSON line (a crash before the logger exists, a native warning): wrap it, keep JSON.
    emit(service, JSON.stringify({ level: streamName === 'stderr' ? 'error' : 'info', time: new Date().toISOString(), service, stream: streamName, msg: line }));
  });
}

function startAll(services) {
  const children = new Map();
  let stopping = false;
  let failed = false;
  const stopAll = (signal) => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping services', { signal, running: [...children.keys()] });
    for (const child of children.values()) child.kill(signal);
  };
  for (const service of services) {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'apps', service, 'src', 'main.js')], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(service, child);
    pipeLines(service, child.stdout, 'stdout');
    pipeLines(service, child.stderr, 'stderr');
    child.on('exit', (code, signal) => {
      children.delete(service);
      // Killed by the very signal we forwarded: it was still loading, with nothing to drain yet.
      const beforeBoot = stopping && signal !== null;
      const clean = stopping && (code === 0 || beforeBoot);
      if (!clean) failed = true;
      const msg = beforeBoot ? 'service stopped before it finished loading' : 'service exited';
      log(clean ? 'info' : 'error', msg, { exited: service, exitCode: code, signal });
      if (!stopping) stopAll('SIGTERM');
      if (children.size === 0) process.exit(failed ? 1 : 0);
    });
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
}

function main() {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((s) => !SERVICES.includes(s));
  if (unknown.length > 0) {
    process.stderr.write(`start: unknown service(s) ${unknown.join(', ')}; known: ${SERVICES.join(', ')}\n`);
    process.exit(2);
  }
  if (buildIsStale()) runStep('build', [path.join(root, 'tools', 'build.js')]);
  runStep('migrate', [path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js'), 'migrate']);
  const services = requested.length > 0 ? requested : SERVICES;
  log('info', 'starting services', { services });
  startAll(services);
}

main();
