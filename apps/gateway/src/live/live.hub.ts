import { Injectable } from '@nestjs/common';

export const LIVE_CHANNELS = ['alerts', 'decisions', 'jobs', 'models'] as const;
export type LiveChannel = (typeof LIVE_CHANNELS)[number];

export interface LiveEvent {
  channel: LiveChannel;
  data: unknown;
}

/** In-process fan-out from the NATS-fed sources to the WebSocket clients of this replica. */
@Injectable()
export class LiveHub {
  private readonly listeners = new Set<(event: LiveEvent) => void>();

  publish(channel: LiveChannel, data: unknown): void {
    const event = { channel, data };
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
