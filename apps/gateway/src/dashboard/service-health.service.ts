import { Inject, Injectable } from '@nestjs/common';
import { type PipelineTopology, STREAMS } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { GATEWAY_TOPOLOGY } from '../config/gateway.config';
import { DASHBOARD_CONFIG, type DashboardConfig } from '../config/dashboard.config';
import { type ConsumerLag, type ServiceHealth, type ServicesHealth } from './dashboard.schemas';

export type Fetcher = (url: string, init: { signal: AbortSignal }) => Promise<{ status: number; json(): Promise<unknown> }>;

/** One probe of a service's /readyz: ready on 200, otherwise the failed checks or why it did not answer. */
export async function probeService(args: { service: string; url: string; timeoutMs: number; fetch: Fetcher; now?: () => number }): Promise<ServiceHealth> {
  const now = args.now ?? (() => performance.now());
  const started = now();
  try {
    const res = await args.fetch(`${args.url}/readyz`, { signal: AbortSignal.timeout(args.timeoutMs) });
    const body = (await res.json().catch(() => ({}))) as { checks?: unknown; failed?: unknown };
    const latencyMs = Math.round(now() - started);
    const checks = Array.isArray(body.checks) ? Object.fromEntries((body.checks as { name: string; ok: boolean }[]).map((c) => [c.name, c.ok])) : undefined;
    if (res.status === 200) return { service: args.service, url: args.url, ready: true, checks, latencyMs };
    const failed = Array.isArray(body.failed) ? (body.failed as string[]).join(', ') : `HTTP ${res.status}`;
    return { service: args.service, url: args.url, ready: false, checks, error: `not ready: ${failed}`, latencyMs };
  } catch (err) {
    const timedOut = (err as { name?: string }).name === 'TimeoutError';
    return { service: args.service, url: args.url, ready: false, error: timedOut ? `no answer within ${args.timeoutMs} ms` : 'unreachable', latencyMs: null };
  }
}

/** Readiness of every pipeline service and the lag of every durable consumer on the pipeline's streams. */
@Injectable()
export class ServiceHealthService {
  constructor(
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    @Inject(GATEWAY_TOPOLOGY) private readonly topology: PipelineTopology,
    private readonly nats: NatsClient,
  ) {}

  async report(): Promise<ServicesHealth> {
    const fetcher: Fetcher = (url, init) => fetch(url, init);
    const [services, consumers] = await Promise.all([
      Promise.all(Object.entries(this.config.serviceUrls).map(([service, url]) => probeService({ service, url, timeoutMs: this.config.probeTimeoutMs, fetch: fetcher }))),
      this.consumerLag(),
    ]);
    return { at: new Date().toISOString(), natsConnected: this.nats.isConnected(), services, consumers };
  }

  private async consumerLag(): Promise<ConsumerLag[]> {
    const prefix = this.topology.prefix;
    const streams = (['INGEST', 'FLOWS', 'DETECTIONS', 'THREATS', 'DECISIONS'] as const).map((s) => (prefix === '' ? STREAMS[s].name : `${prefix}_${STREAMS[s].name}`));
    const out: ConsumerLag[] = [];
    try {
      const jsm = await this.nats.manager();
      for (const stream of streams) {
        try {
          for await (const c of jsm.consumers.list(stream)) {
            // Ephemeral consumers (live feeds, node agents) come and go; lag is a durable's measure.
            if (!c.config.durable_name) continue;
            out.push({ stream, consumer: c.name, pending: c.num_pending, ackPending: c.num_ack_pending, redelivered: c.num_redelivered });
          }
        } catch {
          // A stream that does not exist yet has no consumers to report.
        }
      }
    } catch {
      return out;
    }
    return out;
  }
}
