#!/usr/bin/env node
// `npm run bench [-- <name filter>]`: compiles apps/, libs/ and bench/ with swc into their own
// tree, dist-bench/ (resolving @vigil/* through dist-bench/node_modules), so a bench run never
// rebuilds or wipes dist/ under tests that are running; runs each benchmark in its own process
// (services it starts run from dist-bench/ too), and writes bench-results.json and docs/benchmarks.md.
// A benchmark reports its figures as lines `BENCH {"name","value","unit","baseline"?,"ratio"?,"note"?}` on stdout;
// everything else it prints is passed through. A filtered run keeps the other figures.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const filter = process.argv[2] ?? '';
const benches = fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
if (benches.length === 0) {
  process.stderr.write(`no bench/*.bench.ts matches "${filter}"\n`);
  process.exit(1);
}

const out = path.join(root, 'dist-bench');
fs.rmSync(out, { recursive: true, force: true });
const swc = require.resolve('@swc/cli/bin/swc.js');
execFileSync(process.execPath, [swc, 'apps', 'libs', 'bench', '-d', 'dist-bench', '--copy-files', '--quiet'], { cwd: root, stdio: 'inherit' });
for (const lib of fs.readdirSync(path.join(root, 'libs'))) {
  const entry = path.join(out, 'libs', lib, 'src', 'index.js');
  if (!fs.existsSync(entry)) continue;
  const target = path.join(out, 'node_modules', '@vigil', lib);
  fs.mkdirSync(target, { recursive: true });
  const main = path.relative(target, entry).split(path.sep).join('/');
  fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify({ name: `@vigil/${lib}`, main }) + '\n');
}

const resultsPath = path.join(root, 'bench-results.json');
const previous = fs.existsSync(resultsPath) ? JSON.parse(fs.readFileSync(resultsPath, 'utf8')) : [];
const ran = new Set();
const figures = [];
let failed = false;
for (const file of benches) {
  const bench = file.replace(/\.bench\.ts$/, '');
  ran.add(bench);
  process.stderr.write(`\n== ${bench}\n`);
  const run = spawnSync(process.execPath, [path.join(out, 'bench', file.replace(/\.ts$/, '.js'))], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('BENCH ')) figures.push({ bench, ...JSON.parse(line.slice(6)) });
    else if (line !== '') process.stderr.write(`${line}\n`);
  }
  if (run.status !== 0) {
    failed = true;
    process.stderr.write(`${bench} exited with ${run.status}\n`);
  }
}
const all = [...previous.filter((f) => !ran.has(f.bench)), ...figures];
fs.writeFileSync(resultsPath, JSON.stringify(all, null, 2) + '\n');
fs.writeFileSync(path.join(root, 'docs', 'benchmarks.md'), markdown(all));
process.stderr.write(`\nwrote ${all.length} figures to bench-results.json and docs/benchmarks.md\n`);
process.exit(failed ? 1 : 0);

function markdown(rows) {
  const out = ['# Benchmarks', '', 'Written by `npm run bench` (tools/bench.js); every figure is also in `bench-results.json`.',
    'This machine is shared and noisy (2 cores): figures are medians of several runs, and a baseline runs in the same process and run where one is named.', ''];
  for (const bench of [...new Set(rows.map((r) => r.bench))]) {
    out.push(`## ${bench}`, '', '| figure | value | unit | baseline | ratio | note |', '|---|---:|---|---:|---:|---|');
    for (const r of rows.filter((x) => x.bench === bench)) {
      out.push(`| ${r.name} | ${fmt(r.value)} | ${r.unit} | ${r.baseline === undefined ? '' : fmt(r.baseline)} | ${r.ratio === undefined ? '' : `${fmt(r.ratio)}×`} | ${r.note ?? ''} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function fmt(v) {
  if (typeof v !== 'number') return String(v);
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(3)).toString();
}
