import { Inject, Injectable } from '@nestjs/common';
import { type SAFETY_ALERT_CODES } from '@vigil/contracts';
import { LOGGER, type Logger } from '@vigil/observability';
import { CLOCK, DECISION_PUBLISHER, type Clock } from '../config/self-healing.tokens';
import { type DecisionPublisher } from './decision.publisher';

export type SafetyAlertCode = (typeof SAFETY_ALERT_CODES)[number];

/** Raises a safety alert: a warning log line and an event on `decisions.alert`. */
@Injectable()
export class SafetyAlerts {
  constructor(
    @Inject(DECISION_PUBLISHER) private readonly publisher: DecisionPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async raise(args: { code: SafetyAlertCode; message: string; details: Record<string, unknown> }): Promise<void> {
    const at = this.clock.now().toISOString();
    this.logger.warn({ alert: args.code, ...args.details }, args.message);
    try {
      await this.publisher.publish({
        kind: 'alert',
        msgId: `safety:${args.code}:${at}`,
        event: { event: 'safety-alert', code: args.code, message: args.message, at, details: args.details },
      });
    } catch (err) {
      this.logger.error({ err, alert: args.code }, 'safety alert not published');
    }
  }
}
