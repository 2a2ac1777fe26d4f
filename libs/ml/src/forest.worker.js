'use strict';
// Worker entry for forest training. Plain JS on purpose: it runs both from dist/ (next to the
// compiled forest.tree-job.js) and from TypeScript sources under jest, where it compiles the
// .ts modules with @swc/core on first require.
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');

function loadJobModule() {
  const compiled = path.join(__dirname, 'forest.tree-job.js');
  if (fs.existsSync(compiled)) return require(compiled);
  const swc = require('@swc/core');
  require.extensions['.ts'] = (mod, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = swc.transformSync(source, {
      filename,
      swcrc: false,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    mod._compile(code, filename);
  };
  return require(path.join(__dirname, 'forest.tree-job.ts'));
}

const { buildForestTree } = loadJobModule();
const shared = workerData;

parentPort.on('message', (msg) => {
  try {
    const tree = buildForestTree(shared, msg.index);
    const transfer = [tree.feature.buffer, tree.splitBin.buffer, tree.left.buffer, tree.right.buffer, tree.totals.buffer];
    parentPort.postMessage({ index: msg.index, tree }, transfer);
  } catch (err) {
    parentPort.postMessage({ index: msg.index, error: err instanceof Error ? err.stack || err.message : String(err) });
  }
});
