import { type SelfHealingConfig } from '../config/self-healing.config';
import { type DecisionExecutor } from './decision.executor';
import { NftablesExecutor } from './nftables.executor';
import { ProcessNftRunner } from './nftables.runner';
import { WebhookExecutor } from './webhook.executor';

/** The executors the config turns on; none means decisions are recorded and published only. */
export function executorsFor(config: SelfHealingConfig): DecisionExecutor[] {
  const executors: DecisionExecutor[] = [];
  if (config.nftables.enabled) {
    executors.push(new NftablesExecutor(new ProcessNftRunner(config.nftables.command), { throttlePps: config.nftables.throttlePacketsPerSecond }));
  }
  const { url, secret } = config.webhook;
  if (url !== undefined && secret !== undefined) executors.push(new WebhookExecutor({ ...config.webhook, url, secret }));
  return executors;
}
