// Per-flow canary routing inside one micro-batch: the rows whose flow id hashes into the
// canary's share are gathered into their own block and run on the canary, the rest on
// production, and each part says which rows it answered. Parts are not merged into one
// matrix because a canary classifier may name other classes than production's.
import { type FlowEnvelope, type ModelManifest, type ModelRef } from '@vigil/contracts';
import { type ModelRunResult } from '../model-runner';
import { routesToCanary } from './canary.routing';
import { type Slot, type VersionAddons } from './served-models';

export type RunOutput = Pick<ModelRunResult, 'count' | 'nClasses' | 'labels' | 'probabilities' | 'positive' | 'decisions'>;

/** The rows one model version answered. */
export interface ServedPart {
  readonly role: 'production' | 'canary';
  readonly model: ModelRef;
  readonly manifest: ModelManifest;
  /** Batch row of each output row (ascending); null when the part answered every row in order. */
  readonly rows: Int32Array | null;
  /** Owned copies: valid after later runs. */
  readonly output: RunOutput;
  /** What the stage built beside this version (its explainer). */
  readonly addons: VersionAddons;
}

export interface FlowRows {
  /** One per row: the canary routing key. */
  readonly flowIds: readonly string[];
  /** count × contract width, contract order. */
  readonly features: Float32Array;
  readonly count: number;
  readonly envelopes?: readonly FlowEnvelope[];
}

/** Ascending rows whose flow id routes to the canary at `share` percent. */
export function canaryRows(flowIds: readonly string[], count: number, share: number): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < count; r++) if (routesToCanary(flowIds[r], share)) rows.push(r);
  return Int32Array.from(rows);
}

/** The complement of ascending `rows` in [0, count). */
export function otherRows(rows: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count - rows.length);
  let k = 0;
  let j = 0;
  for (let r = 0; r < count; r++) {
    if (k < rows.length && rows[k] === r) k++;
    else out[j++] = r;
  }
  return out;
}

export function pickRows(flows: FlowRows, rows: Int32Array): FlowRows {
  const width = flows.features.length / Math.max(1, flows.count);
  const features = new Float32Array(rows.length * width);
  rows.forEach((r, j) => features.set(flows.features.subarray(r * width, (r + 1) * width), j * width));
  const envelopes = flows.envelopes === undefined ? undefined : Array.from(rows, (r) => (flows.envelopes as readonly FlowEnvelope[])[r]);
  return { flowIds: Array.from(rows, (r) => flows.flowIds[r]), features, count: rows.length, envelopes };
}

export async function runSlot(slot: Slot, flows: Pick<FlowRows, 'features' | 'count' | 'envelopes'>): Promise<RunOutput> {
  const started = performance.now();
  const out = await slot.lease.runner.run(flows.features, flows.count, flows.envelopes);
  // Wall time of the call as the stage awaits it (includes waiting on onnxruntime's pool).
  slot.lease.stats.record(performance.now() - started, flows.count);
  // The runner reuses its buffers on its next run: copy before anything else can run.
  return { count: out.count, nClasses: out.nClasses, labels: out.labels.slice(), probabilities: out.probabilities.slice(), positive: out.positive?.slice(), decisions: out.decisions?.slice() };
}

/** The class name each batch row was given by the parts. */
export function classOfRows(parts: readonly ServedPart[], count: number): string[] {
  const names = new Array<string>(count);
  for (const part of parts) {
    for (let j = 0; j < part.output.count; j++) names[part.rows === null ? j : part.rows[j]] = part.manifest.classLabels[part.output.labels[j]];
  }
  return names;
}

/** Rows on which shadow reached the same verdict (class name) as the model that served the row. */
export function agreementOf(parts: readonly ServedPart[], shadow: { manifest: ModelManifest; output: RunOutput }): number {
  const served = classOfRows(parts, shadow.output.count);
  let agreed = 0;
  for (let r = 0; r < shadow.output.count; r++) if (served[r] === shadow.manifest.classLabels[shadow.output.labels[r]]) agreed += 1;
  return agreed;
}

/** For each batch row: the index of the part that answered it and its row within that part's output. */
export function servedRows(parts: readonly ServedPart[], count: number): { part: Uint8Array; at: Int32Array } {
  const part = new Uint8Array(count);
  const at = new Int32Array(count);
  parts.forEach((p, k) => {
    for (let j = 0; j < p.output.count; j++) {
      const r = p.rows === null ? j : p.rows[j];
      part[r] = k;
      at[r] = j;
    }
  });
  return { part, at };
}
