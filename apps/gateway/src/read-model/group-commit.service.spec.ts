import { GroupCommitter } from './group-commit.service';

describe('GroupCommitter', () => {
  it('commits items that arrive while a commit runs together in the next one, each caller getting its own result', async () => {
    const commits: number[][] = [];
    let release: () => void = () => undefined;
    const committer = new GroupCommitter<number, string>({
      maxItems: 3,
      commit: async (items) => {
        commits.push([...items]);
        if (commits.length === 1) await new Promise<void>((r) => (release = r));
        return items.map((i) => `ok ${i}`);
      },
    });
    const first = committer.submit(0);
    const rest = [1, 2, 3, 4].map((i) => committer.submit(i));
    release();
    expect(await Promise.all([first, ...rest])).toEqual(['ok 0', 'ok 1', 'ok 2', 'ok 3', 'ok 4']);
    expect(commits).toEqual([[0], [1, 2, 3], [4]]);
  });

  it('retries a failed group item by item, so only the bad item fails', async () => {
    const commits: number[][] = [];
    let release: () => void = () => undefined;
    const committer = new GroupCommitter<number, number>({
      maxItems: 10,
      commit: async (items) => {
        commits.push([...items]);
        if (commits.length === 1) await new Promise<void>((r) => (release = r));
        if (items.includes(2)) throw new Error('bad row 2');
        return items.map((i) => i * 10);
      },
    });
    const head = committer.submit(0);
    const results = [1, 2, 3].map((i) => committer.submit(i).then((v) => ({ v }), (e: Error) => ({ e: e.message })));
    release();
    await head;
    expect(await Promise.all(results)).toEqual([{ v: 10 }, { e: 'bad row 2' }, { v: 30 }]);
    expect(commits).toEqual([[0], [1, 2, 3], [1], [2], [3]]);
  });
});
