import { Global, Module } from '@nestjs/common';
import { LiveSourcesHandler } from './live-sources.handler';
import { LiveGateway } from './live.gateway';
import { LiveHub } from './live.hub';

/** The WebSocket feed at /ws and the hub every source publishes to. */
@Global()
@Module({ providers: [LiveHub, LiveSourcesHandler, LiveGateway], exports: [LiveHub] })
export class LiveModule {}
