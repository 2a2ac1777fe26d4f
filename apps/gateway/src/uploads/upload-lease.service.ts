import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@vigil/observability';
import { randomUUID } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { UploadLeaseRepository } from './upload-lease.repository';

/**
 * This process's leases on the upload jobs it runs: the owner id (`<SERVICE_INSTANCE>/<random>`,
 * so a restarted process is a new owner while its instance name says which pod it was), renewal
 * every third of the lease, and the jobs whose lease another replica took (their runs stop).
 */
@Injectable()
export class UploadLeases implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner: string;
  readonly ms: number;
  private readonly held = new Set<string>();
  private readonly lost = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: UploadLeaseRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.owner = `${config.instance}/${randomUUID().slice(0, 8)}`;
    this.ms = config.upload.leaseMs;
  }

  /** The SERVICE_INSTANCE part of an owner id. */
  static instanceOf(owner: string | null): string | null {
    // SERVICE_INSTANCE holds no '/'.
    return owner === null ? null : owner.split('/')[0];
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.renew(), Math.max(250, Math.floor(this.ms / 3)));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  hold(jobId: string): void {
    this.held.add(jobId);
  }

  isLost(jobId: string): boolean {
    return this.lost.has(jobId);
  }

  /** The job ended here (finished, failed, or another replica has it now). */
  drop(jobId: string): void {
    this.held.delete(jobId);
    this.lost.delete(jobId);
  }

  async release(jobId: string): Promise<void> {
    this.drop(jobId);
    await this.repository.release({ id: jobId, owner: this.owner });
  }

  private async renew(): Promise<void> {
    const ids = [...this.held];
    try {
      const kept = await this.repository.renew({ ids, owner: this.owner, ms: this.ms });
      for (const id of ids.filter((i) => !kept.has(i) && this.held.has(i))) {
        this.lost.add(id);
        this.logger.warn({ jobId: id, owner: this.owner }, 'another gateway took over this upload job (its lease had run out); stopping it here');
      }
    } catch (err) {
      // A missed renewal is retried on the next tick, well before the lease runs out.
      this.logger.warn({ err }, 'could not renew upload job leases');
    }
  }
}
