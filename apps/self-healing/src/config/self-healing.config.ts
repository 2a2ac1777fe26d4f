import { loadConfig, serviceEnvShape, toServiceConfig, type ServiceConfig } from '@vigil/config';
import { z } from 'zod';

const csv = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''));

const int = (min: number, max: number, fallback: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min).max(max)).default(fallback);

const bool = (fallback: boolean) =>
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(fallback);

export interface NftablesConfig {
  readonly enabled: boolean;
  /** argv that runs nft; e.g. `ip netns exec <ns> nft` to act inside a namespace. */
  readonly command: readonly string[];
  /** Packets per second a throttled source may send before the excess is dropped. */
  readonly throttlePacketsPerSecond: number;
}

export interface WebhookConfig {
  readonly url: string | undefined;
  readonly secret: string | undefined;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly backoffMs: number;
}

export interface KubernetesConfig {
  readonly enabled: boolean;
  /** Explicit API URL, else https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT. */
  readonly apiUrl: string | undefined;
  /** Explicit namespace, else the service account's (read from `<serviceAccountDir>/namespace`). */
  readonly namespace: string | undefined;
  readonly serviceAccountDir: string;
  /** `key=value,...` of the pods CIDR blocks protect; unset: no CIDR blocks through Kubernetes. */
  readonly protectedPods: string | undefined;
  readonly timeoutMs: number;
}

/**
 * `full`: the service (threats in, decisions owned, every configured executor).
 * `nftables-node`: a node agent that follows decision events and enforces them in its node's
 * kernel; it decides nothing and needs no database.
 */
export type ExecutorMode = 'full' | 'nftables-node';

/** Everything self-healing reads from its environment, parsed once at boot. */
export interface SelfHealingConfig extends ServiceConfig {
  /** Prefix of every subject and stream (tests give each run its own; production has none). */
  readonly pipelinePrefix: string;
  readonly executorMode: ExecutorMode;
  /** Node agent: full re-read of the active decisions this often, besides following events. */
  readonly nodeResyncMs: number;
  readonly policiesFile: string | undefined;
  /** Allowlisted besides loopback and the node's own addresses: extra CIDRs, cluster/service CIDRs, the gateway's clients. */
  readonly allowlist: readonly string[];
  readonly clusterCidrs: readonly string[];
  readonly gatewayClients: readonly string[];
  readonly ceilingPerMinute: number;
  readonly detectorOutageMs: number;
  readonly escalationLookbackHours: number;
  readonly sweepIntervalMs: number;
  readonly threatsDurable: string;
  readonly nftables: NftablesConfig;
  readonly webhook: WebhookConfig;
  readonly kubernetes: KubernetesConfig;
}

export const selfHealingConfigSchema = z
  .object({
    ...serviceEnvShape('self-healing'),
    PIPELINE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{0,32}$/, 'must be up to 32 letters, digits, _ or -').default(''),
    SELF_HEALING_EXECUTOR_MODE: z.enum(['full', 'nftables-node']).default('full'),
    SELF_HEALING_NODE_RESYNC_MS: int(1_000, 3_600_000, 60_000),
    SELF_HEALING_POLICIES_FILE: z.string().optional(),
    SELF_HEALING_ALLOWLIST: csv,
    SELF_HEALING_CLUSTER_CIDRS: csv,
    SELF_HEALING_GATEWAY_CLIENTS: csv,
    SELF_HEALING_CEILING_PER_MINUTE: int(1, 100_000, 20),
    SELF_HEALING_DETECTOR_OUTAGE_MS: int(1_000, 3_600_000, 60_000),
    SELF_HEALING_ESCALATION_LOOKBACK_HOURS: int(1, 24 * 365, 24 * 30),
    SELF_HEALING_SWEEP_INTERVAL_MS: int(100, 600_000, 5_000),
    SELF_HEALING_THREATS_DURABLE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('self-healing'),
    SELF_HEALING_NFT_ENABLED: bool(false),
    SELF_HEALING_NFT_COMMAND: z.string().default('nft'),
    SELF_HEALING_NFT_THROTTLE_PPS: int(1, 1_000_000, 50),
    SELF_HEALING_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    SELF_HEALING_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    SELF_HEALING_WEBHOOK_MAX_ATTEMPTS: int(1, 20, 5),
    SELF_HEALING_WEBHOOK_TIMEOUT_MS: int(100, 60_000, 5_000),
    SELF_HEALING_WEBHOOK_BACKOFF_MS: int(1, 60_000, 500),
    SELF_HEALING_K8S_ENABLED: bool(false),
    SELF_HEALING_K8S_API_URL: z.url({ protocol: /^https?$/ }).optional(),
    KUBERNETES_SERVICE_HOST: z.string().optional(),
    KUBERNETES_SERVICE_PORT: z.string().regex(/^\d+$/).optional(),
    SELF_HEALING_K8S_NAMESPACE: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name').optional(),
    SELF_HEALING_K8S_SERVICE_ACCOUNT_DIR: z.string().default('/var/run/secrets/kubernetes.io/serviceaccount'),
    SELF_HEALING_K8S_PROTECTED_PODS: z.string().optional(),
    SELF_HEALING_K8S_TIMEOUT_MS: int(100, 60_000, 5_000),
  })
  .transform((env): SelfHealingConfig => ({
    ...toServiceConfig('self-healing', env),
    pipelinePrefix: env.PIPELINE_PREFIX,
    executorMode: env.SELF_HEALING_EXECUTOR_MODE,
    nodeResyncMs: env.SELF_HEALING_NODE_RESYNC_MS,
    policiesFile: env.SELF_HEALING_POLICIES_FILE,
    allowlist: env.SELF_HEALING_ALLOWLIST,
    clusterCidrs: env.SELF_HEALING_CLUSTER_CIDRS,
    gatewayClients: env.SELF_HEALING_GATEWAY_CLIENTS,
    ceilingPerMinute: env.SELF_HEALING_CEILING_PER_MINUTE,
    detectorOutageMs: env.SELF_HEALING_DETECTOR_OUTAGE_MS,
    escalationLookbackHours: env.SELF_HEALING_ESCALATION_LOOKBACK_HOURS,
    sweepIntervalMs: env.SELF_HEALING_SWEEP_INTERVAL_MS,
    threatsDurable: env.SELF_HEALING_THREATS_DURABLE,
    nftables: {
      enabled: env.SELF_HEALING_NFT_ENABLED,
      command: env.SELF_HEALING_NFT_COMMAND.split(/\s+/).filter((part) => part !== ''),
      throttlePacketsPerSecond: env.SELF_HEALING_NFT_THROTTLE_PPS,
    },
    webhook: {
      url: env.SELF_HEALING_WEBHOOK_URL, secret: env.SELF_HEALING_WEBHOOK_SECRET, maxAttempts: env.SELF_HEALING_WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: env.SELF_HEALING_WEBHOOK_TIMEOUT_MS, backoffMs: env.SELF_HEALING_WEBHOOK_BACKOFF_MS,
    },
    kubernetes: {
      enabled: env.SELF_HEALING_K8S_ENABLED,
      apiUrl: env.SELF_HEALING_K8S_API_URL ?? (env.KUBERNETES_SERVICE_HOST
        ? `https://${env.KUBERNETES_SERVICE_HOST.includes(':') ? `[${env.KUBERNETES_SERVICE_HOST}]` : env.KUBERNETES_SERVICE_HOST}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`
        : undefined),
      namespace: env.SELF_HEALING_K8S_NAMESPACE,
      serviceAccountDir: env.SELF_HEALING_K8S_SERVICE_ACCOUNT_DIR,
      protectedPods: env.SELF_HEALING_K8S_PROTECTED_PODS,
      timeoutMs: env.SELF_HEALING_K8S_TIMEOUT_MS,
    },
  }))
  .refine((config) => config.executorMode !== 'nftables-node' || config.nftables.enabled, {
    message: 'SELF_HEALING_EXECUTOR_MODE=nftables-node needs SELF_HEALING_NFT_ENABLED=true',
    path: ['SELF_HEALING_NFT_ENABLED'],
  })
  .refine((config) => !config.kubernetes.enabled || config.kubernetes.apiUrl !== undefined, {
    message: 'SELF_HEALING_K8S_ENABLED needs SELF_HEALING_K8S_API_URL or KUBERNETES_SERVICE_HOST (set in every pod)',
    path: ['SELF_HEALING_K8S_API_URL'],
  })
  .refine((config) => (config.webhook.url === undefined) === (config.webhook.secret === undefined), {
    message: 'SELF_HEALING_WEBHOOK_URL and SELF_HEALING_WEBHOOK_SECRET go together',
    path: ['SELF_HEALING_WEBHOOK_SECRET'],
  });

export function loadSelfHealingConfig(env: NodeJS.ProcessEnv = process.env): SelfHealingConfig {
  return loadConfig(selfHealingConfigSchema, env);
}
