import { Injectable } from '@nestjs/common';
import { STREAMS } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { type DetectorObservation } from './detector-health';

/**
 * Reads when flows and detection results were last published from the FLOWS and
 * DETECTIONS streams' own state, so watching the detector costs two API calls per sweep
 * and no subscription to the flow firehose.
 */
@Injectable()
export class DetectorProbe {
  constructor(private readonly nats: NatsClient) {}

  async observe(): Promise<Omit<DetectorObservation, 'nowMs'> | undefined> {
    const jsm = await this.nats.manager();
    const lastAt = async (stream: string): Promise<number | undefined> => {
      try {
        const info = await jsm.streams.info(stream);
        return info.state.messages > 0 ? Date.parse(info.state.last_ts) : undefined;
      } catch {
        return undefined;
      }
    };
    const flowsLastAt = await lastAt(STREAMS.FLOWS.name);
    if (flowsLastAt === undefined) return undefined;
    return { flowsLastAt, detectionsLastAt: await lastAt(STREAMS.DETECTIONS.name) };
  }
}
