// The pipeline bench's producer and result tracking, both cheap because the harness shares
// the cores with the pipeline it measures. A chunk is a pre-encoded CSV template whose Flow
// IDs (`X<phase:3><chunk:7>-<row>`) are patched in place; a result is matched to its chunk by
// the first envelope's Flow ID, found by a byte search in the result's header.
import { type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { type PipelineTopology } from '@vigil/contracts';

const KEY_WIDTH = 11; // 'X' + phase (3) + chunk number (7)
const PLACEHOLDER = `X${'0'.repeat(KEY_WIDTH - 1)}`;

export interface ChunkTemplate {
  readonly bytes: Buffer;
  /** Byte offset of each row's Flow ID key. */
  readonly keyOffsets: Int32Array;
}

/** `variants` templates of `chunk` rows each, cycling through the sample lines from different offsets. */
export function chunkTemplates(args: { header: string; lines: string[]; chunk: number; variants: number }): ChunkTemplate[] {
  return Array.from({ length: args.variants }, (_, v) => {
    const rows = Array.from({ length: args.chunk }, (_, i) => `${args.lines[(v * args.chunk + i) % args.lines.length]},${PLACEHOLDER}-${i}`);
    const bytes = Buffer.from([args.header, ...rows].join('\n'), 'utf8');
    const keyOffsets = new Int32Array(args.chunk);
    let at = 0;
    for (let i = 0; i < args.chunk; i++) {
      at = bytes.indexOf(`,${PLACEHOLDER}-${i}\n`, at) + 1;
      if (at === 0) at = bytes.indexOf(`,${PLACEHOLDER}-${i}`, bytes.length - PLACEHOLDER.length - 12) + 1;
      keyOffsets[i] = at;
    }
    return { bytes, keyOffsets };
  });
}

export function chunkKey(phase: string, c: number): string {
  return `X${phase.slice(0, 3).padEnd(3, '_')}${String(c).padStart(KEY_WIDTH - 4, '0')}`;
}

export function makeChunk(template: ChunkTemplate, phase: string, c: number): { bytes: Buffer; key: string } {
  const key = chunkKey(phase, c);
  const bytes = Buffer.from(template.bytes);
  for (const at of template.keyOffsets) bytes.write(key, at, 'latin1');
  return { bytes, key };
}

interface ChunkState {
  sentAt: number;
  detectedAt?: number;
  flows: number;
  results: number;
  threats: number;
  flagged: number;
  threatAt?: number;
}

function uint(buf: Buffer, at: number): number {
  let n = 0;
  for (let i = at; buf[i] >= 48 && buf[i] <= 57; i++) n = n * 10 + buf[i] - 48;
  return n;
}

/** Entries of the JSON number list starting at `at` (just past its `[`). */
function listLength(buf: Buffer, at: number): number {
  if (buf[at] === 93) return 0; // ]
  let n = 1;
  for (let i = at; buf[i] !== 93; i++) if (buf[i] === 44) n++; // ,
  return n;
}

function countOf(buf: Buffer, needle: string): number {
  let n = 0;
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + needle.length)) n++;
  return n;
}

export class ChunkTracker {
  private readonly chunks = new Map<string, ChunkState>();
  private readonly order: string[] = [];
  private threatSub: Subscription | undefined;
  detectedFlows = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly topology: PipelineTopology,
  ) {
    nc.subscribe(`${topology.prefix}.detections.>`, { callback: (_err, msg) => this.onDetection(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength)) });
  }

  /**
   * Threat batches are received only while watched (the latency phase): a subscriber to every
   * threat batch would make NATS deliver the threat stream once more, an observer's cost that
   * grows with explanations and is no part of the pipeline. Flagged flows (each becomes one
   * threat) are counted from the detection headers all along.
   */
  watchThreats(on: boolean): void {
    if (on && this.threatSub === undefined) {
      this.threatSub = this.nc.subscribe(`${this.topology.prefix}.threats.>`, { callback: (_err, msg) => this.onThreats(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength)) });
    } else if (!on && this.threatSub !== undefined) {
      this.threatSub.unsubscribe();
      this.threatSub = undefined;
    }
  }

  sent(key: string): void {
    this.order.push(key);
    this.chunks.set(key, { sentAt: performance.now(), flows: 0, results: 0, threats: 0, flagged: 0 });
  }

  keysFrom(first: number, end: number): string[] {
    return this.order.slice(first, end);
  }

  detectedAt(key: string): number | undefined {
    return this.chunks.get(key)?.detectedAt;
  }

  detectLatency(key: string): number | undefined {
    const s = this.chunks.get(key);
    return s?.detectedAt === undefined ? undefined : s.detectedAt - s.sentAt;
  }

  /** One latency per threat of the chunk (its threat batch's arrival). */
  threatLatency(key: string): number[] | undefined {
    const s = this.chunks.get(key);
    return s?.threatAt === undefined ? undefined : new Array<number>(s.threats).fill(s.threatAt - s.sentAt);
  }

  threatsOf(keys: readonly string[]): number {
    return keys.reduce((n, k) => n + (this.chunks.get(k)?.threats ?? 0), 0);
  }

  /** Flows the detector flagged (so classified into threats), from the detection headers. */
  flaggedOf(keys: readonly string[]): number {
    return keys.reduce((n, k) => n + (this.chunks.get(k)?.flagged ?? 0), 0);
  }

  flowsOf(key: string): number | undefined {
    return this.chunks.get(key)?.flows;
  }

  /** Flows reported by more than one detection result message. */
  duplicatesOf(keys: readonly string[]): number {
    return keys.reduce((n, k) => {
      const s = this.chunks.get(k);
      return n + (s && s.results > 1 ? s.flows - s.flows / s.results : 0);
    }, 0);
  }

  private onDetection(data: Buffer): void {
    const now = performance.now();
    const header = data.subarray(4, 4 + data.readUInt32BE(0));
    const count = uint(header, header.indexOf('"count":') + 8);
    this.detectedFlows += count;
    // detection-batch.v2: envelopes as columns, so the first Flow ID opens the `env.flowId` array.
    const at = header.indexOf('"flowId":["', header.indexOf('"env":{'));
    const s = this.chunks.get(header.toString('latin1', at + 11, at + 11 + KEY_WIDTH));
    if (s === undefined) return;
    s.detectedAt ??= now;
    s.flows += count;
    s.results += 1;
    s.flagged += listLength(header, header.indexOf('"flagged":[') + 11);
  }

  private onThreats(data: Buffer): void {
    const now = performance.now();
    const at = data.indexOf('"flowId":"', data.indexOf('"envelope":{'));
    const s = this.chunks.get(data.toString('latin1', at + 10, at + 10 + KEY_WIDTH));
    if (s === undefined) return;
    s.threatAt ??= now;
    s.threats += countOf(data, '"attackClass":"');
  }
}
