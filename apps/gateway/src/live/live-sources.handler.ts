import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type UploadTopology } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { type Subscription } from '@nats-io/nats-core';
import { UPLOAD_TOPOLOGY } from '../config/gateway.config';
import { type LiveChannel, LiveHub } from './live.hub';

/**
 * Feeds the hub from NATS with plain (core) subscriptions: every replica sees every event, which
 * is what a live feed wants; JetStream-published subjects (decisions, model activations) reach
 * core subscribers too. Missed events are not replayed: the REST API is the record.
 */
@Injectable()
export class LiveSourcesHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly nats: NatsClient,
    private readonly hub: LiveHub,
    @Inject(UPLOAD_TOPOLOGY) private readonly topology: UploadTopology,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriptions = [
      this.follow(this.topology.liveAlerts, 'alerts', (body) => ((body as { alerts?: unknown[] }).alerts ?? [])),
      this.follow(this.topology.decisions, 'decisions', (body) => [body]),
      this.follow(this.topology.modelsActivated, 'models', (body) => [body]),
    ];
  }

  onApplicationShutdown(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private follow(subject: string, channel: LiveChannel, items: (body: unknown) => unknown[]): Subscription {
    return this.nats.connection.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        let body: unknown;
        try {
          body = JSON.parse(new TextDecoder().decode(msg.data));
        } catch {
          return;
        }
        for (const item of items(body)) this.hub.publish(channel, item);
      },
    });
  }
}
