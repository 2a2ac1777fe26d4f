import { setTimeout as delay } from 'node:timers/promises';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';
import { type DecisionEntity } from '../decisions/decision.entity';
import { toDecision } from '../decisions/decision.transitions';
import { type DecisionExecutor } from './decision.executor';
import { signWebhook, WEBHOOK_HEADERS } from './webhook.signature';

export interface WebhookOptions {
  readonly url: string;
  readonly secret: string;
  readonly maxAttempts: number;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Wait before the second attempt; doubles each time, at most 30 s. */
  readonly backoffMs: number;
}

export type WebhookEventType = 'decision.applied' | 'decision.withdrawn';

const MAX_BACKOFF_MS = 30_000;

/** 408, 429 and 5xx are worth another try; another 4xx means the receiver refuses this body. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * A signed JSON POST for each change of a decision in force: `decision.applied` when it comes
 * into force or is extended, `decision.withdrawn` when it is lifted. Retried with exponential
 * backoff; once the attempts are spent the call fails, which marks the decision `failed` and
 * raises an alert, and the sweeper tries again. Receivers deduplicate on X-Vigil-Delivery.
 */
export class WebhookExecutor implements DecisionExecutor {
  readonly name = 'webhook';

  constructor(private readonly opts: WebhookOptions) {}

  // A webhook holds no state to bring in line: the receiver learns of each change as it happens.
  async reconcile(): Promise<void> {}

  apply(decision: DecisionEntity, now: Date): Promise<void> {
    return this.deliver('decision.applied', decision, now);
  }

  withdraw(decision: DecisionEntity): Promise<void> {
    return this.deliver('decision.withdrawn', decision, new Date());
  }

  private async deliver(type: WebhookEventType, decision: DecisionEntity, now: Date): Promise<void> {
    const deliveryId = `${decision.id}:${decision.version}:${type}`;
    const body = JSON.stringify({ type, deliveryId, sentAt: now.toISOString(), decision: toDecision(decision) });
    let lastError = '';
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      if (attempt > 1) await delay(Math.min(MAX_BACKOFF_MS, this.opts.backoffMs * 2 ** (attempt - 2)));
      const outcome = await this.attempt(body, deliveryId);
      if (outcome === 'delivered') return;
      lastError = outcome.error;
      if (!outcome.retry) break;
    }
    throw new SelfHealingError({
      code: SELF_HEALING_ERROR_CODES.ExecutorFailed,
      message: `webhook delivery ${deliveryId} failed: ${lastError}`,
      kind: 'unavailable',
      details: { executor: this.name, deliveryId },
    });
  }

  private async attempt(body: string, deliveryId: string): Promise<'delivered' | { error: string; retry: boolean }> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'vigil-self-healing',
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook({ secret: this.opts.secret, timestamp, body }),
          [WEBHOOK_HEADERS.delivery]: deliveryId,
        },
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'error',
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'delivered';
      return { error: `HTTP ${res.status}`, retry: retryable(res.status) };
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return { error: timedOut ? `no answer within ${this.opts.timeoutMs} ms` : err instanceof Error ? err.message : String(err), retry: true };
    }
  }
}
