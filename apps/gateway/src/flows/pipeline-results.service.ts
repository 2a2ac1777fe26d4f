import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { decodeDetectionBatchMessage, decodeThreatBatchMessage, type PipelineTopology } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { type Subscription } from '@nats-io/nats-core';
import { GATEWAY_TOPOLOGY } from '../config/gateway.config';
import { type Classification, type Detection } from './flows.schemas';

interface BatchResult {
  detections?: Map<string, Detection>;
  /** Set once the detector answered: how many flows it flagged (a threat batch follows only if > 0). */
  flagged?: number;
  classifications?: Map<string, Classification>;
}

const REMEMBERED = 4_096;

/**
 * Results of recent batches, heard on core subscriptions to the result subjects, for
 * `POST /api/v1/flows?wait=true`. A result can arrive before the submit reply names its batch,
 * so the last few thousand batches are remembered rather than only the awaited ones.
 */
@Injectable()
export class PipelineResultsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly results = new Map<string, BatchResult>();
  private readonly waiters = new Set<() => void>();
  private subscriptions: Subscription[] = [];
  /** Requests between submit and answer; results are only kept while there are some. */
  private active = 0;

  constructor(
    private readonly nats: NatsClient,
    @Inject(GATEWAY_TOPOLOGY) private readonly topology: PipelineTopology,
  ) {}

  onApplicationBootstrap(): void {
    const sub = (pattern: string, onData: (data: Uint8Array) => void): Subscription =>
      this.nats.connection.subscribe(pattern, { callback: (err, msg) => { if (!err) try { onData(msg.data); } catch { /* not ours to judge: the stages dead-letter bad messages */ } } });
    this.subscriptions = [
      sub(this.topology.streams.DETECTIONS.subjects[0], (data) => this.onDetection(data)),
      sub(this.topology.streams.THREATS.subjects[0], (data) => this.onThreats(data)),
    ];
  }

  onApplicationShutdown(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  /** Marks a waiting request from before its submit, so results racing the submit reply are kept. */
  begin(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (!ended) this.active--;
      ended = true;
    };
  }

  /** Waits until every batch has its detection and (if it flagged anything) classification, or the deadline. */
  async waitFor(batchIds: readonly string[], timeoutMs: number): Promise<{ complete: boolean; detections: Map<string, Detection>; classifications: Map<string, Classification> }> {
    const deadline = Date.now() + timeoutMs;
    while (!batchIds.every((id) => this.isComplete(id)) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(1, deadline - Date.now()));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
    const detections = new Map<string, Detection>();
    const classifications = new Map<string, Classification>();
    for (const id of batchIds) {
      for (const [k, v] of this.results.get(id)?.detections ?? []) detections.set(k, v);
      for (const [k, v] of this.results.get(id)?.classifications ?? []) classifications.set(k, v);
    }
    return { complete: batchIds.every((id) => this.isComplete(id)), detections, classifications };
  }

  private isComplete(batchId: string): boolean {
    const r = this.results.get(batchId);
    return r?.flagged !== undefined && (r.flagged === 0 || r.classifications !== undefined);
  }

  private onDetection(data: Uint8Array): void {
    if (this.active === 0) return;
    const m = decodeDetectionBatchMessage(data);
    const flagged = new Set(m.header.flagged);
    const model = `${m.header.model.name}@${m.header.model.version}`;
    const detections = new Map(m.header.flowIds.map((id, i): [string, Detection] => [id, { isThreat: flagged.has(i), probability: m.attackProbabilities[i], model }]));
    this.remember(m.header.batchId, { detections, flagged: flagged.size });
  }

  private onThreats(data: Uint8Array): void {
    if (this.active === 0) return;
    const b = decodeThreatBatchMessage(data);
    const model = `${b.classifier.name}@${b.classifier.version}`;
    const classifications = new Map(b.threats.map((t): [string, Classification] => [t.flowId, { attackClass: t.attackClass, probability: t.probability, top: t.top, model }]));
    this.remember(b.batchId, { classifications });
  }

  private remember(batchId: string, patch: BatchResult): void {
    const entry = { ...this.results.get(batchId), ...patch };
    this.results.delete(batchId);
    this.results.set(batchId, entry);
    if (this.results.size > REMEMBERED) this.results.delete(this.results.keys().next().value as string);
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }
}
