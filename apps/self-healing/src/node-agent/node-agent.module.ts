import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, type MessagingModuleOptions } from '@vigil/messaging';
import { LOGGER, type Logger } from '@vigil/observability';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { SELF_HEALING_CONFIG } from '../config/self-healing.tokens';
import { type DecisionExecutor } from '../executors/decision.executor';
import { NftablesExecutor } from '../executors/nftables.executor';
import { ProcessNftRunner } from '../executors/nftables.runner';
import { NODE_EXECUTOR, NodeAgentService } from './node-agent.service';

/** `SELF_HEALING_EXECUTOR_MODE=nftables-node`: NATS and the node's nftables, no database, no decisions of its own. */
@Module({})
export class NodeAgentModule {
  static register(config: SelfHealingConfig, overrides: { executor?: DecisionExecutor } = {}): DynamicModule {
    return {
      module: NodeAgentModule,
      imports: [
        MessagingModule.forRootAsync({
          useFactory: (logger: Logger): MessagingModuleOptions => ({ servers: config.natsServers, name: `${config.service}-node-${config.instance}`, logger }),
          inject: [LOGGER],
        }),
      ],
      providers: [
        { provide: SELF_HEALING_CONFIG, useValue: config },
        {
          provide: NODE_EXECUTOR,
          useFactory: () => overrides.executor ?? new NftablesExecutor(new ProcessNftRunner(config.nftables.command), { throttlePps: config.nftables.throttlePacketsPerSecond }),
        },
        NodeAgentService,
      ],
      exports: [NodeAgentService],
    };
  }
}
