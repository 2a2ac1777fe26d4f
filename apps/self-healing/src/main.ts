import 'reflect-metadata';
import { JetStreamServer, NatsClient } from '@vigil/messaging';
import { LOGGER, runService, type Logger } from '@vigil/observability';
import { loadSelfHealingConfig } from './config/self-healing.config';
import { NodeAgentModule } from './node-agent/node-agent.module';
import { SelfHealingModule } from './self-healing.module';

void runService({
  config: () => loadSelfHealingConfig(),
  module: (config) => (config.executorMode === 'nftables-node' ? NodeAgentModule.register(config) : SelfHealingModule.register(config)),
  // JetStream consumers and NATS request handlers share the service's connection; on SIGTERM
  // the server stops pulling and settles in-flight batches before the connection drains.
  connect: (app, config) => {
    if (config.executorMode === 'nftables-node') return;
    app.connectMicroservice(
      { strategy: new JetStreamServer({ connection: app.get(NatsClient), queue: config.service, logger: app.get<symbol, Logger>(LOGGER) }) },
      { inheritAppConfig: true },
    );
  },
});
