import { Inject, Injectable } from '@nestjs/common';
import { type ModelAlias, type ModelAliases, type ModelManifest, type ModelVersionInfo, modelManifestSchema, type RegistryRequestName, type ReplicaModel } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { RegistryClient } from '@vigil/registry-client';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { NoProductionVersionError } from './models.errors';
import { type ModelProfile } from './models.schemas';
import { SERVING_NOTE, servingFigures } from './models.serving';

interface RolloutStatus { at: string; replicas: { replica: string; service: string; lastSeen: string; models: ReplicaModel[] }[]; models: { name: string }[] }

/** A registered version's manifest, typed (the registry validated it on the way in). */
export function manifestOf(info: ModelVersionInfo): ModelManifest {
  return modelManifestSchema.parse(info.manifest);
}

/** The model registry's request/reply API as the gateway uses it (RegistryClient from @vigil/registry-client). */
@Injectable()
export class ModelsService {
  readonly registry: RegistryClient;

  constructor(nats: NatsClient, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.registry = new RegistryClient({ connection: nats.connection, prefix: config.pipelinePrefix });
  }

  ask<T>(name: RegistryRequestName, payload: unknown = {}): Promise<T> {
    return this.registry.ask<T>(name, payload);
  }

  /** One version with the replicas that hold it (state, aliases served, batches). */
  async version(name: string, version: number): Promise<ModelVersionInfo & { rollout: { replica: string; service: string; state: string; aliases: string[]; batches: number }[] }> {
    const [info, status] = await Promise.all([this.registry.version(name, version), this.ask<RolloutStatus>('rolloutStatus', { name })]);
    const rollout = status.replicas.flatMap((r) => r.models.filter((m) => m.name === name && m.version === version)
      .map((m) => ({ replica: r.replica, service: r.service, state: m.state, aliases: m.aliases, batches: m.batches })));
    return { ...info, rollout };
  }

  /**
   * The replaced system's model profile: the production version's manifest facts and what the
   * replicas serving it report (state, batches, and observed latency and throughput).
   */
  async profile(name: string): Promise<ModelProfile> {
    const aliases = await this.registry.aliases(name);
    const active = aliases.production?.version;
    if (active === undefined) throw new NoProductionVersionError(name);
    const [info, status] = await Promise.all([this.registry.version(name, active), this.ask<RolloutStatus>('rolloutStatus', { name })]);
    const held = status.replicas.flatMap((r) => r.models.filter((m) => m.name === name));
    const serving = held.filter((m) => m.version === active && m.state === 'serving');
    const m = manifestOf(info);
    return {
      name, task: m.task, contract: m.contract, activeVersion: active, aliases: aliases as Record<ModelAlias, ModelAliases[ModelAlias]>,
      metrics: { method: m.validation.method, ...m.validation.metrics }, algorithm: m.algorithm.kind, features: [...m.features], classLabels: [...m.classLabels], threshold: m.threshold,
      sizeBytes: info.sizeBytes, sha256: info.sha256, createdAt: String(info.createdAt),
      serving: {
        replicas: new Set(status.replicas.filter((r) => r.models.some((x) => x.name === name)).map((r) => r.replica)).size,
        replicasServingActive: serving.length,
        batches: serving.reduce((sum, x) => sum + x.batches, 0),
        ...servingFigures({ name, version: active, replicas: status.replicas }),
        note: SERVING_NOTE,
      },
    };
  }
}
