#!/usr/bin/env node
// Rows/s of readFlowFile on the full datasets, beside a gunzip-only baseline in the same run.
// Build first (node tools/build.js), then: node libs/contracts/scripts/measure-parse.js [runs]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { pipeline } = require('node:stream/promises');
const { Writable } = require('node:stream');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const contracts = require(process.env.VIGIL_CONTRACTS ?? path.join(repoRoot, 'dist', 'node_modules', '@vigil', 'contracts'));
const datasets = path.resolve(repoRoot, '..', 'shared', 'datasets');
const runs = Number(process.argv[2] ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function parseOnce(file) {
  const t0 = process.hrtime.bigint();
  let rows = 0;
  for await (const batch of contracts.readFlowFile(file, { batchSize: 4096 })) rows += batch.count;
  return { rows, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

async function gunzipOnce(file) {
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  await pipeline(fs.createReadStream(file), zlib.createGunzip(), new Writable({ write(c, _e, cb) { bytes += c.length; cb(); } }));
  return { bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

async function main() {
  for (const name of ['cic-ids2017-improved/train.csv.gz', 'cic-ids2017/train.csv.gz', 'nsl-kdd/KDDTrain+.txt.gz']) {
    const file = path.join(datasets, name);
    const parse = [];
    const gunzip = [];
    let rows = 0;
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const p = await parseOnce(file);
      const g = await gunzipOnce(file);
      rows = p.rows;
      bytes = g.bytes;
      parse.push(p.ms);
      gunzip.push(g.ms);
    }
    const ms = median(parse);
    process.stdout.write(
      `${name}: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB text; median of ${runs}: ${Math.round((rows / ms) * 1000)} rows/s, ` +
        `${((bytes / 1e6 / ms) * 1000).toFixed(1)} MB/s (gunzip alone ${median(gunzip).toFixed(0)} ms of ${ms.toFixed(0)} ms)\n`,
    );
  }
}
main().catch((e) => { process.exitCode = 1; process.stderr.write(String(e?.stack ?? e) + '\n'); });
