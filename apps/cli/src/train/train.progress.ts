// Training progress on stderr: a redrawn bar on a terminal, a plain line per 10 % otherwise
// (CI logs and pipes stay readable).
import { type TrainProgress } from '@vigil/ml';
import { type CliIo } from '../command/cli-command';

export function progressReporter(stream: CliIo['stderr']): { update: (p: TrainProgress) => void; done: () => void } {
  let lastPlain = -1;
  let lastPhase = '';
  let drawn = false;
  return {
    update: (p) => {
      const share = p.total > 0 ? p.done / p.total : 0;
      if (stream.isTTY) {
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 60));
        const filled = Math.round(share * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${p.done}/${p.total} trees  ${p.phase.slice(0, 40).padEnd(40)}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        stream.write(`train: ${p.phase}\n`);
      }
      if (tenth > lastPlain) {
        lastPlain = tenth;
        stream.write(`train: ${tenth * 10}% (${p.done}/${p.total} trees)\n`);
      }
    },
    done: () => {
      if (drawn) stream.write('\n');
    },
  };
}
