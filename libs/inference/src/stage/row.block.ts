/**
 * Rows of several input batches laid side by side for one model call, in a grow-only buffer
 * reused across calls (the call's output is copied out before the next one starts).
 */
export class RowBlock {
  private buffer = new Float32Array(0);
  private filled = 0;
  rows = 0;

  constructor(readonly width: number) {}

  reset(): this {
    this.filled = 0;
    this.rows = 0;
    return this;
  }

  append(features: Float32Array, count: number): void {
    const n = count * this.width;
    if (this.buffer.length < this.filled + n) {
      const grown = new Float32Array(Math.max(this.filled + n, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.filled));
      this.buffer = grown;
    }
    this.buffer.set(features.subarray(0, n), this.filled);
    this.filled += n;
    this.rows += count;
  }

  view(): Float32Array {
    return this.buffer.subarray(0, this.filled);
  }
}
