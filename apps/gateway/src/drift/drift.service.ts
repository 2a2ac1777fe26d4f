import { Inject, Injectable } from '@nestjs/common';
import { NatsClient } from '@vigil/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { DriftUnavailableError } from './drift.errors';

/** One replica's answer on `detection.drift.<model>` (driftReplySchema in @vigil/contracts). */
export interface ReplicaDrift {
  replica: string;
  stage: string;
  at: string;
  window: { slots: number; slotMs: number };
  versions: { model: { name: string; version: number }; rows: number; overall: number; bound: number; alert: boolean; features: { feature: string; psi: number }[] }[];
}

const COLLECT_MS = 750;

/**
 * Live drift of a model: every detection replica answers `detection.drift.<model>` for itself
 * (no queue group), so the gateway collects the answers that arrive within a short window.
 */
@Injectable()
export class DriftService {
  constructor(
    private readonly nats: NatsClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async drift(model: string): Promise<{ model: string; replicas: ReplicaDrift[] }> {
    const prefix = this.config.pipelinePrefix;
    const subject = `${prefix === '' ? '' : `${prefix}.`}detection.drift.${model}`;
    const replicas: ReplicaDrift[] = [];
    try {
      const replies = await this.nats.connection.requestMany(subject, JSON.stringify({}), { strategy: 'timer', maxWait: COLLECT_MS });
      for await (const msg of replies) {
        const envelope = JSON.parse(new TextDecoder().decode(msg.data)) as { data?: ReplicaDrift };
        if (envelope.data !== undefined) replicas.push(envelope.data);
      }
    } catch {
      // No responders ends the request at once; handled as "no replica answered" below.
    }
    if (replicas.length === 0) throw new DriftUnavailableError(model, COLLECT_MS);
    replicas.sort((a, b) => a.replica.localeCompare(b.replica));
    return { model, replicas };
  }
}
