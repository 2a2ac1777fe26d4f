#!/usr/bin/env node
// Makes sure the NATS (JetStream) and PostgreSQL servers the tests use are up,
// starting the machine's own copies when they are down. Exits non-zero, naming the
// service, when one cannot be reached.
'use strict';
const net = require('node:net');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

function reachable(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
}

const services = [
  {
    name: 'PostgreSQL', port: 5432,
    start: () => {
      if (!fs.existsSync('/etc/postgresql')) return false;
      const version = fs.readdirSync('/etc/postgresql')[0];
      return run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
    },
  },
  {
    name: 'NATS', port: 4222,
    start: () => {
      fs.mkdirSync('/var/lib/nats-server', { recursive: true });
      return run('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/nats-server', '--',
        '-a', '127.0.0.1', '-p', '4222', '-js', '-sd', '/var/lib/nats-server', '-l', '/var/log/nats-server.log']);
    },
  },
];

(async () => {
  for (const s of services) {
    if (await reachable(s.port)) continue;
    process.stderr.write(`${s.name} is not answering on 127.0.0.1:${s.port}; starting it\n`);
    try { s.start(); } catch (e) { process.stderr.write(`could not start ${s.name}: ${e.message}\n`); }
    if (!(await waitFor(s.port, 30))) {
      process.stderr.write(`${s.name} is still down on 127.0.0.1:${s.port}: the integration tests need it\n`);
      process.exit(1);
    }
  }
})();
