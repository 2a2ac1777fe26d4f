import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubernetesConfig, type SelfHealingConfig } from '../config/self-healing.config';
import { type DecisionExecutor } from './decision.executor';
import { KubernetesApi } from './kubernetes.api';
import { KubernetesExecutor } from './kubernetes.executor';
import { parseLabelSelector } from './kubernetes.policy';
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
  if (config.kubernetes.enabled) executors.push(kubernetesExecutor(config.kubernetes));
  return executors;
}

function kubernetesExecutor(config: KubernetesConfig): KubernetesExecutor {
  const dir = config.serviceAccountDir;
  const api = new KubernetesApi({ baseUrl: config.apiUrl ?? '', tokenFile: join(dir, 'token'), caFile: join(dir, 'ca.crt'), timeoutMs: config.timeoutMs });
  return new KubernetesExecutor(api, {
    namespace: config.namespace ?? readFileSync(join(dir, 'namespace'), 'utf8').trim(),
    protectedPods: config.protectedPods === undefined ? undefined : parseLabelSelector(config.protectedPods),
  });
}
