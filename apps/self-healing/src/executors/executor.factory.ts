import { type SelfHealingConfig } from '../config/self-healing.config';
import { type DecisionExecutor } from './decision.executor';
import { NftablesExecutor } from './nftables.executor';
import { ProcessNftRunner } from './nftables.runner';

/** The executors the config turns on; none means decisions are recorded and published only. */
export function executorsFor(config: SelfHealingConfig): DecisionExecutor[] {
  const executors: DecisionExecutor[] = [];
  if (config.nftables.enabled) {
    executors.push(new NftablesExecutor(new ProcessNftRunner(config.nftables.command), { throttlePps: config.nftables.throttlePacketsPerSecond }));
  }
  return executors;
}
