'use strict';
// The test environment of every spec. onnxruntime-node builds its output tensors from typed arrays of the main Node realm, while
// jest runs each test file in a separate VM realm whose Float32Array is a different class;
// onnxruntime-common's `instanceof` check then rejects its own outputs. Specs that run real
// sessions use this environment, which shares the main realm's binary constructors.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OrtTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtTestEnvironment;
