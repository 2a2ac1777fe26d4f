import { type Metrics } from '@vigil/observability';
import { type ConsumerLag } from './micro-batch.consumer';

/** The metrics every inference stage exports on /metrics, labelled by stage. */
export class StageMetrics {
  private readonly flowsIn;
  private readonly flowsOut;
  private readonly batchFlows;
  private readonly inference;
  private readonly endToEnd;
  private readonly pending;
  private readonly ackPending;
  private readonly redelivered;
  private readonly redeliveries;

  constructor(metrics: Metrics, private readonly stage: string) {
    this.flowsIn = metrics.counter({ name: 'vigil_stage_flows_in_total', help: 'Flows received by a stage', labelNames: ['stage', 'contract'] });
    this.flowsOut = metrics.counter({ name: 'vigil_stage_flows_out_total', help: 'Flow results a stage stored (detection: every flow; classification: threats)', labelNames: ['stage', 'contract'] });
    this.batchFlows = metrics.histogram({ name: 'vigil_stage_batch_flows', help: 'Flows per inference call', labelNames: ['stage'], buckets: [1, 8, 32, 64, 128, 256, 512, 1024, 2048, 4096] });
    this.inference = metrics.histogram({
      name: 'vigil_inference_seconds', help: 'onnxruntime time per call, by model version', labelNames: ['stage', 'model', 'version'],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    });
    this.endToEnd = metrics.histogram({
      name: 'vigil_end_to_end_seconds', help: 'Ingest timestamp to the stored result, per flow batch', labelNames: ['stage', 'contract'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.pending = metrics.gauge({ name: 'vigil_consumer_pending', help: 'Messages not yet delivered to the stage consumer', labelNames: ['stage'] });
    this.ackPending = metrics.gauge({ name: 'vigil_consumer_ack_pending', help: 'Messages delivered and not yet acked', labelNames: ['stage'] });
    this.redelivered = metrics.gauge({ name: 'vigil_consumer_redelivered', help: 'Messages the server is redelivering', labelNames: ['stage'] });
    this.redeliveries = metrics.counter({ name: 'vigil_stage_redeliveries_total', help: 'Messages this instance received more than once', labelNames: ['stage'] });
  }

  received(contract: string, flows: number, redelivered: boolean): void {
    this.flowsIn.inc({ stage: this.stage, contract }, flows);
    if (redelivered) this.redeliveries.inc({ stage: this.stage });
  }

  call(rows: number, model: { name: string; version: number }, seconds: number): void {
    this.batchFlows.observe({ stage: this.stage }, rows);
    this.inference.observe({ stage: this.stage, model: model.name, version: String(model.version) }, seconds);
  }

  stored(args: { contract: string; flows: number; ingestedAt: string }): void {
    this.flowsOut.inc({ stage: this.stage, contract: args.contract }, args.flows);
    this.endToEnd.observe({ stage: this.stage, contract: args.contract }, Math.max(0, Date.now() - Date.parse(args.ingestedAt)) / 1000);
  }

  lag(lag: ConsumerLag): void {
    this.pending.set({ stage: this.stage }, lag.pending);
    this.ackPending.set({ stage: this.stage }, lag.ackPending);
    this.redelivered.set({ stage: this.stage }, lag.redelivered);
  }
}
