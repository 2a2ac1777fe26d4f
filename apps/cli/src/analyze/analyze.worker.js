'use strict';
// Parse worker of `vigil analyze`: reads and parses one flow file (gunzip, CSV, contract
// mapping) off the main thread and hands packed batches over (features and row numbers are
// transferred, not copied). Batches are sent against credits from the main thread, so at
// most a few are in flight and memory stays flat whatever the file size.
// Plain JS on purpose: from dist/ it requires the compiled @vigil/contracts; under jest (no
// build) it compiles the TypeScript sources with @swc/core and resolves @vigil/* to them.
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');

function loadContracts() {
  try {
    return require('@vigil/contracts');
  } catch {
    const Module = require('node:module');
    const root = path.resolve(__dirname, '..', '..', '..', '..');
    const swc = require('@swc/core');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const m = /^@vigil\/([a-z-]+)$/.exec(request);
      return m ? path.join(root, 'libs', m[1], 'src', 'index.ts') : resolve.call(this, request, ...rest);
    };
    require.extensions['.ts'] = (mod, filename) => {
      const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, swcrc: false, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
      });
      mod._compile(code, filename);
    };
    return require('@vigil/contracts');
  }
}

const { readFlowStream } = loadContracts();
const { file, contract, batchSize, maxInFlight } = workerData;
let credits = maxInFlight;
let wake = null;
parentPort.on('message', (msg) => {
  if (msg.type !== 'credit') return;
  credits += 1;
  if (wake) {
    wake();
    wake = null;
  }
});

async function* counted(stream, progress) {
  for await (const chunk of stream) {
    progress.bytes += chunk.length;
    yield chunk;
  }
}

async function main() {
  const progress = { bytes: 0 };
  const reader = readFlowStream(counted(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), progress), { contract, batchSize });
  for await (const b of reader) {
    while (credits === 0) await new Promise((resolve) => (wake = resolve));
    credits -= 1;
    const batch = {
      contractId: b.contract.id, variant: b.variant, count: b.count, features: b.features, rowNumbers: b.rowNumbers,
      envelopes: b.envelopes, labels: b.labels, errors: b.errors,
    };
    parentPort.postMessage({ type: 'batch', batch, bytesRead: progress.bytes }, [b.features.buffer, b.rowNumbers.buffer]);
  }
  parentPort.postMessage({ type: 'end', bytesRead: progress.bytes });
}

main().catch((error) => {
  parentPort.postMessage({ type: 'error', error: { code: error && error.code, message: error instanceof Error ? error.message : String(error), details: error && error.details } });
});
