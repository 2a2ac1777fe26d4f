// Bundles apps/dashboard (Preact) with esbuild into dist/apps/dashboard/: index.html plus
// content-hashed, minified assets/*.js|css and a gzip copy of each (served when the browser
// accepts gzip). Called by tools/build.js; `node tools/build-dashboard.js` alone rebuilds it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'apps', 'dashboard', 'src');
const out = path.join(root, 'dist', 'apps', 'dashboard');

async function buildDashboard() {
  const esbuild = require('esbuild');
  fs.rmSync(out, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [path.join(source, 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: path.join(out, 'assets'),
    entryNames: '[name]-[hash]',
    tsconfig: path.join(root, 'apps', 'dashboard', 'tsconfig.json'),
    alias: { '@vigil/errors': path.join(root, 'libs', 'errors', 'src', 'index.ts') },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.relative(out, path.resolve(root, f)).split(path.sep).join('/'));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  const html = fs.readFileSync(path.join(source, 'index.html'), 'utf8')
    .replace('<!-- styles -->', css ? `<link rel="stylesheet" href="/${css}">` : '')
    .replace('<!-- script -->', `<script type="module" src="/${js}"></script>`);
  fs.writeFileSync(path.join(out, 'index.html'), html);
  const sizes = {};
  for (const file of [...outputs, 'index.html']) {
    const bytes = fs.readFileSync(path.join(out, file));
    const gz = zlib.gzipSync(bytes, { level: 9 });
    fs.writeFileSync(path.join(out, `${file}.gz`), gz);
    sizes[file] = { raw: bytes.length, gzip: gz.length };
  }
  fs.writeFileSync(path.join(out, 'bundle-sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
  return sizes;
}

module.exports = { buildDashboard };

if (require.main === module) {
  buildDashboard().then((sizes) => process.stdout.write(JSON.stringify(sizes) + '\n'), (err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
