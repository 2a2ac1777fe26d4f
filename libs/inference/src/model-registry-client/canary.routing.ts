// Canary routing must give every replica the same answer for the same batch (a redelivered
// batch lands on the same model version) and must not drift with load, so it hashes the
// deterministic batch id instead of drawing random numbers.

/** 32-bit FNV-1a over the UTF-16 code units of a string. */
export function fnv1a32(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** True when this batch goes to the canary at a traffic share of `sharePercent` (0-100, two decimals). */
export function routesToCanary(batchId: string, sharePercent: number): boolean {
  if (sharePercent <= 0) return false;
  if (sharePercent >= 100) return true;
  // Mixed again so consecutive ids (b1, b2, ...) spread evenly over the buckets.
  const h = Math.imul(fnv1a32(batchId) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return ((h ^ (h >>> 13)) >>> 0) % 10_000 < Math.round(sharePercent * 100);
}
