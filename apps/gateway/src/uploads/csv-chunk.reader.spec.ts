import { chunkLines, readFirstLine } from './csv-chunk.reader';

async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function all(text: string, args: { chunkBytes: number; size: number; skipFirstLine: boolean }) {
  const out = [];
  for await (const c of chunkLines(pieces(text, args.size), { chunkBytes: args.chunkBytes, skipFirstLine: args.skipFirstLine, onOversizeLine: () => Buffer.from('TOO-LONG') })) {
    out.push({ seq: c.seq, rowOffset: c.rowOffset, lines: c.lines, text: c.text.toString() });
  }
  return out;
}

describe('chunkLines', () => {
  const file = 'h1,h2\n1,2\n3,4\n5,6\n7,8\n';

  it('cuts whole lines into chunks no larger than asked, numbering them and keeping file line offsets, whatever the read size', async () => {
    for (const size of [1, 3, 7, 64]) {
      const chunks = await all(file, { chunkBytes: 9, size, skipFirstLine: true });
      expect(chunks).toEqual([
        { seq: 0, rowOffset: 1, lines: 2, text: '1,2\n3,4\n' },
        { seq: 1, rowOffset: 3, lines: 2, text: '5,6\n7,8\n' },
      ]);
    }
  });

  it('keeps a last line without newline and replaces a line longer than a chunk, keeping its line number', async () => {
    const chunks = await all('h\n1,2\n0123456789012345\n3,4', { chunkBytes: 9, size: 4, skipFirstLine: true });
    expect(chunks.map((c) => [c.rowOffset, c.text])).toEqual([[1, '1,2\n'], [2, 'TOO-LONG\n'], [3, '3,4\n']]);
  });

  it('readFirstLine skips blank lines and strips a BOM and CR; an all-blank stream has none', async () => {
    expect(await readFirstLine(pieces('\n\r\n\uFEFFa,b\r\n1,2\n', 2), 100)).toEqual({ firstLine: 'a,b', firstLineNumber: 3 });
    expect(await readFirstLine(pieces('\n \n', 2), 100)).toBeNull();
  });
});
