// Paths as the manifest records them: relative to the repository root (found from this file by
// its nx.json), with forward slashes, never absolute.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export function recordedPath(absolute: string, root = repoRoot()): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}
