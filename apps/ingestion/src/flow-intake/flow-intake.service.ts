import { type FlowBatch, type PipelineTopology, type RowError, deriveBatchId, encodeFlowBatchMessage } from '@vigil/contracts';
import { flowIdOf, type RecentFlowIds } from './flow-identity.service';
import { type FlowPublisher, type OutgoingBatch } from './flow-publisher.service';
import { type RecordResult } from './flow-intake.schemas';

export interface AdmitContext {
  sensor: string;
  correlationId: string;
  /**
   * Mixed into batch ids when set (an upload job's id): a retried chunk of the job keeps its
   * batch ids, while another job carrying the same flows is scored again instead of being
   * swallowed by the stream's duplicate window.
   */
  batchScope?: string;
  /**
   * When given, the flow ids this admission claimed are appended once published, so a caller
   * whose later step fails (an upload chunk's job record) can release them: the redelivered
   * chunk then counts its rows as accepted again, not as duplicates of its own first try.
   */
  claimed?: string[];
}

export interface Admission {
  /** Per parsed row: accepted or duplicate, with its flow id and warnings. */
  results: RecordResult[];
  batchIds: string[];
}

/**
 * The batch-shaped core every door shares: give each parsed row its stable flow id, drop the
 * ones published lately, cut the rest into batch messages of at most `batchMaxFlows` with a
 * deterministic id (same flows, same id: a retried publish is stored once), publish, await.
 */
export class FlowAdmitter {
  constructor(
    private readonly deps: { publisher: FlowPublisher; recent: RecentFlowIds; topology: PipelineTopology; batchMaxFlows: number; now?: () => Date },
  ) {}

  async admit(batch: FlowBatch, ctx: AdmitContext): Promise<Admission> {
    const width = batch.contract.features.length;
    const results: RecordResult[] = [];
    const picked: number[] = [];
    const flowIds: string[] = [];
    for (let i = 0; i < batch.count; i++) {
      const features = batch.features.subarray(i * width, (i + 1) * width);
      const flowId = flowIdOf({ contract: batch.contract.id, envelope: batch.envelopes[i], features });
      const row = batch.rowNumbers[i];
      if (!this.deps.recent.claim(flowId)) {
        results.push({ row, status: 'duplicate', flowId, reason: 'a record with this flow id was accepted already' });
        continue;
      }
      const warnings = unknownCategories(batch, i);
      results.push({ row, status: 'accepted', flowId, ...(warnings.length > 0 ? { warnings } : {}) });
      picked.push(i);
      flowIds.push(flowId);
    }
    const outgoing = this.cut(batch, picked, flowIds, ctx);
    try {
      await this.deps.publisher.publish(outgoing);
    } catch (err) {
      this.deps.recent.release(flowIds);
      throw err;
    }
    if (ctx.claimed) for (const id of flowIds) ctx.claimed.push(id);
    return { results, batchIds: outgoing.map((b) => b.batchId) };
  }

  /** Forgets claimed flow ids (see AdmitContext.claimed). */
  release(flowIds: readonly string[]): void {
    this.deps.recent.release(flowIds);
  }

  private cut(batch: FlowBatch, picked: number[], flowIds: string[], ctx: AdmitContext): OutgoingBatch[] {
    const width = batch.contract.features.length;
    const size = this.deps.batchMaxFlows;
    const ingestedAt = (this.deps.now ?? (() => new Date()))();
    const out: OutgoingBatch[] = [];
    for (let from = 0; from < picked.length; from += size) {
      const rows = picked.slice(from, from + size);
      const ids = flowIds.slice(from, from + size);
      const features = new Float32Array(rows.length * width);
      rows.forEach((r, k) => features.set(batch.features.subarray(r * width, (r + 1) * width), k * width));
      const batchId = deriveBatchId(ctx.batchScope === undefined ? [batch.contract.id, ...ids] : [batch.contract.id, ctx.batchScope, ...ids]);
      const payload = encodeFlowBatchMessage({
        batch: { contract: batch.contract, variant: batch.variant, count: rows.length, features, envelopes: rows.map((r) => batch.envelopes[r]) },
        batchId, sensor: ctx.sensor, correlationId: ctx.correlationId, ingestedAt, flowIds: ids,
      });
      out.push({
        subject: this.deps.topology.subjects.flows(batch.contract.id), batchId, payload,
        contract: batch.contract.id, contractVersion: batch.contract.version, correlationId: ctx.correlationId,
      });
    }
    return out;
  }
}

function unknownCategories(batch: FlowBatch, i: number): { field: string; code: string; reason: string }[] {
  const width = batch.contract.features.length;
  const out: { field: string; code: string; reason: string }[] = [];
  batch.contract.features.forEach((f, j) => {
    if (f.unknownCode !== undefined && batch.features[i * width + j] === f.unknownCode) {
      out.push({ field: f.name, code: 'CONTRACTS.UNKNOWN_CATEGORY', reason: `value is not in the ${f.name} vocabulary; coded as <unknown>` });
    }
  });
  return out;
}

export function rejected(error: RowError): RecordResult {
  return { row: error.row, status: 'rejected', ...(error.field === undefined ? {} : { field: error.field }), code: error.code, reason: error.reason };
}
