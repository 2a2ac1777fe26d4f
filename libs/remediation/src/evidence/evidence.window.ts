/**
 * In-memory evidence counting for an offline run (`vigil analyze`): self-healing keeps evidence
 * in Postgres and counts `seen_at > now - window` capped at the policy's threshold (`LIMIT N`).
 * Keeping only the N newest times per (source, policy) key is exact for that capped count and
 * bounds memory by keys × N; past `maxKeys` the key seen least recently is forgotten.
 */
export class EvidenceWindow {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly maxKeys = 100_000) {}

  get size(): number {
    return this.times.size;
  }

  /**
   * Records one threat at `atMs` and returns how many of the key's threats (this one included)
   * fall in `(atMs - windowMs, atMs]`, at most `cap`. Times must not run backwards per key.
   */
  record(args: { key: string; atMs: number; windowMs: number; cap: number }): number {
    const list = this.times.get(args.key) ?? [];
    // Re-inserting keeps the map in least-recently-seen order for eviction.
    this.times.delete(args.key);
    this.times.set(args.key, list);
    list.push(args.atMs);
    if (list.length > args.cap) list.splice(0, list.length - args.cap);
    if (this.times.size > this.maxKeys) this.times.delete(this.times.keys().next().value ?? '');
    const since = args.atMs - args.windowMs;
    let count = 0;
    for (let i = list.length - 1; i >= 0 && list[i] > since; i--) count++;
    return count;
  }
}
