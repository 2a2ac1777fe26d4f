// Progress of `vigil analyze` on stderr: a redrawn bar on a terminal, nothing otherwise (the
// report is what a pipe or a CI log wants).
import { type CliIo } from '../command/cli-command';
import { type AnalyzeProgress } from './analyze.service';

export function analyzeProgress(stream: CliIo['stderr']): { update: (p: AnalyzeProgress) => void; done: () => void } {
  let drawn = false;
  let last = 0;
  return {
    update: (p) => {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - last < 100 && p.bytesRead < p.totalBytes) return;
      last = now;
      const share = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
      const filled = Math.round(share * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% file ${p.fileIndex + 1}/${p.files}  ${p.rows.toLocaleString('en-US')} rows`);
      drawn = true;
    },
    done: () => {
      if (drawn) stream.write('\n');
    },
  };
}
