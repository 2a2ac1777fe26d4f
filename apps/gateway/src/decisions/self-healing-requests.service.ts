import { Inject, Injectable } from '@nestjs/common';
import { SELF_HEALING_REQUESTS } from '@vigil/contracts';
import { NatsClient, request } from '@vigil/messaging';
import { currentCorrelationId } from '@vigil/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

export type SelfHealingRequest = keyof typeof SELF_HEALING_REQUESTS;

const TIMEOUT_MS = 10_000;

/**
 * Self-healing's request/reply API (docs/self-healing.md) as the gateway calls it. A refusal
 * comes back as a RemoteError carrying its SELF_HEALING.* code and kind, which the error filter
 * maps to the HTTP status once; no responder or a timeout is a 503.
 */
@Injectable()
export class SelfHealingRequests {
  constructor(
    private readonly nats: NatsClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  ask<T>(name: SelfHealingRequest, payload: unknown = {}): Promise<T> {
    const prefix = this.config.pipelinePrefix;
    const subject = prefix === '' ? SELF_HEALING_REQUESTS[name] : `${prefix}.${SELF_HEALING_REQUESTS[name]}`;
    return request<T>(this.nats.connection, { subject, payload, timeoutMs: TIMEOUT_MS, correlationId: currentCorrelationId() });
  }
}

/** Who did it, for the audit trail: the API key's name, plus the human a client names in `X-Vigil-Actor`. */
export function actorOf(principal: { name: string } | undefined, header: string | string[] | undefined): string {
  const key = `key:${principal?.name ?? 'unknown'}`;
  const named = (Array.isArray(header) ? header[0] : header)?.trim().slice(0, 120);
  return named ? `${named} (${key})` : key;
}
