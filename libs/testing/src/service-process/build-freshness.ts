import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root: the nearest folder above this file holding nx.json. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (/\.(ts|tsx|css|html)$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** When the last build finished: tools/build.js links the libs into dist/node_modules last. */
function buildTime(root: string): number {
  const links = join(root, 'dist', 'node_modules', '@vigil');
  if (!existsSync(links)) return 0;
  const stamps = readdirSync(links).map((lib) => join(links, lib, 'package.json')).filter((p) => existsSync(p));
  return stamps.length === 0 ? 0 : Math.min(...stamps.map((p) => statSync(p).mtimeMs));
}

export function isBuildStale(root: string): boolean {
  const built = buildTime(root);
  if (built === 0) return true;
  return ['apps', 'libs'].some((top) => newestSourceMtime(join(root, top)) > built);
}

let once: Promise<void> | undefined;

/**
 * Builds dist/ with tools/build.js when it is missing or older than the sources, at most once
 * per test process; a lock directory makes parallel jest workers take turns (the second one
 * then finds the build fresh and skips it).
 */
export function ensureBuilt(root = repoRoot()): Promise<void> {
  once ??= buildWithLock(root);
  return once;
}

async function buildWithLock(root: string): Promise<void> {
  const lock = join(tmpdir(), `vigil-build-${createHash('sha1').update(root).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a build that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (isBuildStale(root)) await run(process.execPath, [join(root, 'tools', 'build.js')], { cwd: root });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
