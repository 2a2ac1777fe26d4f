#!/usr/bin/env node
'use strict';
// The `vigil` command. Runs the compiled CLI (built by `npm ci` through the root
// `prepare` script, or by `npm run build`).
const path = require('node:path');
const fs = require('node:fs');
const main = path.resolve(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write('vigil: the CLI is not built yet; run `npm run build` in the repository first\n');
  process.exit(2);
}
require(main);
