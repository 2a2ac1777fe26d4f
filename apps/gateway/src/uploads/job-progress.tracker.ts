import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type ChunkProgressEvent, chunkProgressEventSchema, ingestionJobSchema, type IngestionJob, type UploadTopology } from '@vigil/contracts';
import { NatsClient, request } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { type Subscription } from '@nats-io/nats-core';
import { LiveHub } from '../live/live.hub';
import { UPLOAD_TOPOLOGY } from '../config/gateway.config';

/**
 * Follows ingestion's per-chunk events (core NATS) so an upload knows how many of its chunks
 * are processed (its backpressure), and forwards them to the live feed. Core NATS may drop an
 * event; a waiter that hears nothing asks ingestion directly.
 */
@Injectable()
export class JobProgressTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;
  private readonly processed = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly nats: NatsClient,
    private readonly live: LiveHub,
    @Inject(UPLOAD_TOPOLOGY) private readonly topology: UploadTopology,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nats.connection.subscribe(this.topology.progressAll, {
      callback: (err, msg) => {
        if (err) return;
        const parsed = chunkProgressEventSchema.safeParse(safeJson(msg.data));
        if (parsed.success) this.onEvent(parsed.data);
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** Resolves once ingestion has processed at least `chunks` chunks of the job, or after `pollMs` (then asks ingestion). */
  async waitForChunks(jobId: string, chunks: number, pollMs = 2_000): Promise<number> {
    while ((this.processed.get(jobId) ?? 0) < chunks) {
      const heard = await this.nextEvent(jobId, pollMs);
      if (!heard) {
        const job = await this.ask(jobId);
        if (job) this.note(jobId, job.chunks);
        return this.processed.get(jobId) ?? 0;
      }
    }
    return this.processed.get(jobId) ?? 0;
  }

  forget(jobId: string): void {
    this.processed.delete(jobId);
    this.waiters.delete(jobId);
  }

  async ask(jobId: string): Promise<IngestionJob | null> {
    try {
      return await request(this.nats.connection, { subject: this.topology.get, payload: { jobId }, timeoutMs: 2_000, parse: (d) => ingestionJobSchema.parse(d) });
    } catch (err) {
      if ((err as { code?: string }).code !== 'INGESTION.JOB_NOT_FOUND') this.logger.debug({ err, jobId }, 'job query failed');
      return null;
    }
  }

  private onEvent(event: ChunkProgressEvent): void {
    this.note(event.jobId, event.chunks);
    this.live.publish('jobs', event);
  }

  private note(jobId: string, chunks: number): void {
    if (chunks > (this.processed.get(jobId) ?? 0)) this.processed.set(jobId, chunks);
    const waiting = this.waiters.get(jobId);
    this.waiters.delete(jobId);
    for (const wake of waiting ?? []) wake();
  }

  private nextEvent(jobId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const set = this.waiters.get(jobId) ?? new Set();
      this.waiters.set(jobId, set);
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        set.delete(wake);
        resolve(false);
      }, timeoutMs);
      set.add(wake);
    });
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
}
