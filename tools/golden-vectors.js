#!/usr/bin/env node
// Regenerates libs/inference/test-data/golden/<model>.json for every shipped model under
// models/ (highest version): real sample rows with the label and probabilities the TypeScript
// walker gives them. Run after `node tools/build.js`; the golden spec checks onnxruntime and
// the walker against these files.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { computeGoldenVectors } = require(path.join(root, 'dist', 'node_modules', '@vigil', 'inference'));

async function main() {
  const out = path.join(root, 'libs', 'inference', 'test-data', 'golden');
  fs.mkdirSync(out, { recursive: true });
  for (const name of fs.readdirSync(path.join(root, 'models')).sort()) {
    const versions = fs.readdirSync(path.join(root, 'models', name)).filter((v) => /^[1-9]\d*$/.test(v)).map(Number);
    if (versions.length === 0) continue;
    const golden = await computeGoldenVectors(path.join(root, 'models', name, String(Math.max(...versions))));
    fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify(golden) + '\n');
    process.stdout.write(`${name} v${golden.version}: ${golden.rows.length} rows\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
