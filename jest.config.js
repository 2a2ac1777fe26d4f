// One jest run covers every project: unit specs (*.spec.ts) and integration specs
// (*.int-spec.ts) against the real NATS and Postgres on this machine.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.exclude;
delete swcrc.$schema;

/** @type {import('jest').Config} */
module.exports = {
  // Shares the main realm's typed arrays with test files (onnxruntime-node checks them with instanceof).
  testEnvironment: '<rootDir>/tools/jest-environment.js',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/e2e'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: { '^@vigil/(.*)$': '<rootDir>/libs/$1/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['<rootDir>/tools/jest-setup.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
