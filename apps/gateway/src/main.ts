import 'reflect-metadata';
import { JetStreamServer, NatsClient } from '@vigil/messaging';
import { LOGGER, runService, type Logger } from '@vigil/observability';
import { loadGatewayConfig } from './config/gateway.config';
import { GatewayModule } from './gateway.module';
import { configureHttp } from './http/http.setup';

void runService({
  config: () => loadGatewayConfig(),
  module: (config) => GatewayModule.register(config),
  connect: (app, config) => {
    configureHttp(app, config);
    // JetStream consumers and NATS request handlers share the service's connection; on SIGTERM
    // the server stops pulling and settles in-flight batches before the connection drains.
    app.connectMicroservice(
      { strategy: new JetStreamServer({ connection: app.get(NatsClient), queue: config.service, logger: app.get<symbol, Logger>(LOGGER) }) },
      { inheritAppConfig: true },
    );
  },
});
