import { type DecisionEvent, type DecisionKind, CONTRACT_HEADERS, PAYLOAD_TYPE_DECISION_EVENT } from '@vigil/contracts';
import { type NatsClient, publishBatch } from '@vigil/messaging';
import { type SelfHealingTopology } from '../messaging/self-healing.topology';

/** Where decision events and safety alerts go; a seam so services test without NATS. */
export interface DecisionPublisher {
  publish(args: { kind: DecisionKind; event: DecisionEvent; msgId: string }): Promise<void>;
}

const encoder = new TextEncoder();

/** Publishes on JetStream `decisions.<action>` with a dedup msg id (`<decision id>:<version>`). */
export class NatsDecisionPublisher implements DecisionPublisher {
  constructor(private readonly nats: NatsClient, private readonly topology: SelfHealingTopology) {}

  async publish(args: { kind: DecisionKind; event: DecisionEvent; msgId: string }): Promise<void> {
    await publishBatch(this.nats.jetstream, {
      subject: this.topology.decisions(args.kind),
      payload: encoder.encode(JSON.stringify(args.event)),
      msgId: args.msgId,
      headers: { [CONTRACT_HEADERS.PayloadType]: PAYLOAD_TYPE_DECISION_EVENT },
    });
  }
}
