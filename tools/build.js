#!/usr/bin/env node
// Compiles apps/ and libs/ with swc into dist/, then links each lib's public door
// as dist/node_modules/@vigil/<lib> so compiled code resolves `@vigil/*` imports
// through plain Node resolution (no runtime path hooks).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
const swc = require.resolve('@swc/cli/bin/swc.js');
// The dashboard is a browser bundle (esbuild, below), not Node code for swc.
execFileSync(process.execPath, [swc, 'apps', 'libs', '-d', 'dist', '--copy-files', '--quiet', '--ignore', 'apps/dashboard/**'], {
  cwd: root,
  stdio: 'inherit',
});
for (const lib of fs.readdirSync(path.join(root, 'libs'))) {
  const entry = path.join(dist, 'libs', lib, 'src', 'index.js');
  if (!fs.existsSync(entry)) continue;
  const target = path.join(dist, 'node_modules', '@vigil', lib);
  fs.mkdirSync(target, { recursive: true });
  const main = path.relative(target, entry).split(path.sep).join('/');
  fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify({ name: `@vigil/${lib}`, main }) + '\n');
}
// The browser dashboard, served by the gateway at / (tools/build-dashboard.js).
require('./build-dashboard').buildDashboard().catch((err) => {
  process.stderr.write(`dashboard build failed: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
