import { Writable } from 'node:stream';
import { analyzeProgress } from './analyze.progress';

function terminal(isTTY: boolean): Writable & { text: string; isTTY: boolean; columns: number } {
  const w = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      t.text += chunk.toString();
      callback();
    },
  });
  const t = Object.assign(w, { text: '', isTTY, columns: 120 });
  return t;
}

describe('analyze progress', () => {
  it('draws a bar with rows, rate and time left on a terminal, ending on its own line', () => {
    const out = terminal(true);
    let clock = 0;
    const p = analyzeProgress(out, () => clock);
    clock = 4000;
    p.update({ fileIndex: 0, files: 2, bytesRead: 250, totalBytes: 1000, rows: 200_000 });
    expect(out.text).toContain('25%');
    expect(out.text).toContain('file 1/2');
    expect(out.text).toContain('200,000 rows  50,000 rows/s  12 s left');
    p.done();
    expect(out.text.endsWith('\n')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const out = terminal(false);
    const p = analyzeProgress(out, () => 5000);
    p.update({ fileIndex: 0, files: 1, bytesRead: 10, totalBytes: 10, rows: 5 });
    p.done();
    expect(out.text).toBe('');
  });
});
