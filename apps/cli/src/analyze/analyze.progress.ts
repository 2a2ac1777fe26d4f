// Progress of `vigil analyze` on stderr: a redrawn bar with the rate and time left on a
// terminal, nothing otherwise (the report is what a pipe or a CI log wants).
import { type CliIo } from '../command/cli-command';
import { type AnalyzeProgress } from './analyze.service';

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s left` : `${s} s left`;
}

export function analyzeProgress(stream: CliIo['stderr'], now: () => number = Date.now): { update: (p: AnalyzeProgress) => void; done: () => void } {
  let drawn = false;
  let last = 0;
  const started = now();
  return {
    update: (p) => {
      if (!stream.isTTY) return;
      const t = now();
      if (t - last < 100 && p.bytesRead < p.totalBytes) return;
      last = t;
      const share = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 70));
      const filled = Math.round(share * width);
      const elapsed = (t - started) / 1000;
      const rate = elapsed > 0.5 ? `  ${Math.round(p.rows / elapsed).toLocaleString('en-US')} rows/s` : '';
      const left = elapsed > 2 && share > 0 && share < 1 ? `  ${eta((elapsed / share) * (1 - share))}` : '';
      const files = p.files > 1 ? `  file ${p.fileIndex + 1}/${p.files}` : '';
      // \x1b[K clears what a longer previous line left behind.
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%${files}  ${p.rows.toLocaleString('en-US')} rows${rate}${left}\x1b[K`);
      drawn = true;
    },
    done: () => {
      if (drawn) stream.write('\n');
    },
  };
}
