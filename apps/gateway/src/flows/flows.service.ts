import { Inject, Injectable } from '@nestjs/common';
import { type PipelineTopology } from '@vigil/contracts';
import { NatsClient, request } from '@vigil/messaging';
import { GATEWAY_CONFIG, GATEWAY_TOPOLOGY, type GatewayConfig } from '../config/gateway.config';
import { type SubmitFlowsReply } from './flows.schemas';
import { PipelineResultsService } from './pipeline-results.service';

const SUBMIT_TIMEOUT_MS = 30_000;

/** The JSON door: records go to ingestion's `ingestion.flows.submit`; with wait, the pipeline's answers are joined in. */
@Injectable()
export class FlowsService {
  constructor(
    private readonly nats: NatsClient,
    private readonly results: PipelineResultsService,
    @Inject(GATEWAY_TOPOLOGY) private readonly topology: PipelineTopology,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async submit(body: { contract: string; sensor?: string; records: unknown[] }, options: { wait: boolean; timeoutMs?: number; correlationId?: string }): Promise<SubmitFlowsReply> {
    const end = options.wait ? this.results.begin() : () => undefined;
    try {
      const reply = await request<SubmitFlowsReply>(this.nats.connection, {
        subject: this.topology.subjects.submit, payload: body, timeoutMs: SUBMIT_TIMEOUT_MS, correlationId: options.correlationId,
      });
      if (!options.wait) return reply;
      const found = await this.results.waitFor(reply.batchIds, options.timeoutMs ?? this.config.waitTimeoutMs);
      for (const r of reply.results) {
        if (r.flowId === undefined || r.status !== 'accepted') continue;
        const detection = found.detections.get(r.flowId);
        const classification = found.classifications.get(r.flowId);
        if (detection) r.detection = detection;
        if (classification) r.classification = classification;
      }
      return { ...reply, complete: found.complete };
    } finally {
      end();
    }
  }
}
