/**
 * Commits many consumers' items in one transaction: `submit` queues an item and resolves with
 * its own result once the transaction that holds it commits. While one transaction runs, new
 * items gather for the next (up to `maxItems`), so under load a commit carries many result
 * batches and at rest each goes alone, at once. When a group fails, each of its items is
 * retried alone, so one bad item fails only itself and never its neighbours.
 */
export class GroupCommitter<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(private readonly opts: { maxItems: number; commit: (items: readonly T[]) => Promise<R[]> }) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.opts.maxItems);
        await this.commit(group);
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(group: GroupCommitter<T, R>['queue']): Promise<void> {
    try {
      const results = await this.opts.commit(group.map((g) => g.item));
      group.forEach((g, i) => g.resolve(results[i]));
      return;
    } catch (err) {
      if (group.length === 1) {
        group[0].reject(err);
        return;
      }
    }
    for (const g of group) {
      try {
        g.resolve((await this.opts.commit([g.item]))[0]);
      } catch (err) {
        g.reject(err);
      }
    }
  }
}
