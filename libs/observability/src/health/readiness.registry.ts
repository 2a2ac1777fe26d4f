import { Injectable } from '@nestjs/common';

/** Resolves when the dependency is usable; rejects (with a reason) when it is not. */
export type ReadinessCheck = () => Promise<void>;

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: CheckResult[];
}

const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * The service's readiness checks (NATS connected, Postgres answering, ...). Modules register
 * theirs at init; `/readyz` runs them all in parallel, each under a deadline so a hung
 * dependency reads as "not ready" instead of hanging the probe.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, { check: ReadinessCheck; timeoutMs: number }>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck, options: { timeoutMs?: number } = {}): void {
    this.checks.set(name, { check, timeoutMs: options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS });
  }

  /** From here on the service reports not-ready, so load balancers stop sending it work while it drains. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async evaluate(): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const checks = await Promise.all(entries.map(([name, entry]) => runCheck(name, entry.check, entry.timeoutMs)));
    if (this.shuttingDown) checks.unshift({ name: 'shutdown', ok: false, durationMs: 0, error: 'service is shutting down' });
    return { ready: checks.every((c) => c.ok), checks };
  }
}

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), deadline]);
    return { name, ok: true, durationMs: elapsed(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name, ok: false, durationMs: elapsed(started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
