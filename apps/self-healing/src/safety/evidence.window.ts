/**
 * Counts recent threats per (target, policy) to apply evidence thresholds ("N threats from a
 * source within a window"). Only the last `threshold` timestamps of a key are kept, which is
 * all the question needs, and the least recently seen keys are dropped past `maxKeys`, so a
 * flood of distinct sources costs bounded memory. In memory: a restart starts counting afresh,
 * which can only delay a decision, never cause one.
 */
export class EvidenceWindow {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly maxKeys = 100_000) {}

  /** Records one threat at `nowMs` and returns how many fell inside the window, this one included. */
  record(args: { key: string; nowMs: number; windowMs: number; threshold: number }): number {
    const times = this.seen.get(args.key) ?? [];
    this.seen.delete(args.key);
    times.push(args.nowMs);
    if (times.length > args.threshold) times.splice(0, times.length - args.threshold);
    this.seen.set(args.key, times);
    if (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    const from = args.nowMs - args.windowMs;
    return times.filter((t) => t > from).length;
  }

  /** Forgets a key, e.g. once a decision covers it, so the next one needs fresh evidence. */
  forget(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
