import { Injectable } from '@nestjs/common';
import { CONTRACT_HEADERS, PAYLOAD_TYPES } from '@vigil/contracts';
import { NatsClient, PublishWindow } from '@vigil/messaging';

export interface OutgoingBatch {
  subject: string;
  batchId: string;
  payload: Uint8Array;
  contract: string;
  contractVersion: number;
  correlationId: string;
}

/** Where admitted flow batches go; the JetStream one below, a strict fake in specs. */
export abstract class FlowPublisher {
  /** Resolves once every batch is stored (PubAck); rejects if any is not. */
  abstract publish(batches: readonly OutgoingBatch[]): Promise<void>;
}

@Injectable()
export class JetStreamFlowPublisher extends FlowPublisher {
  constructor(private readonly nats: NatsClient) {
    super();
  }

  async publish(batches: readonly OutgoingBatch[]): Promise<void> {
    const window = new PublishWindow(this.nats.jetstream, { maxInFlight: 64 });
    for (const b of batches) {
      await window.publish({
        subject: b.subject, payload: b.payload, msgId: b.batchId, correlationId: b.correlationId,
        headers: { [CONTRACT_HEADERS.Contract]: b.contract, [CONTRACT_HEADERS.ContractVersion]: String(b.contractVersion), [CONTRACT_HEADERS.PayloadType]: PAYLOAD_TYPES.flowBatch },
      });
    }
    await window.flush();
  }
}
