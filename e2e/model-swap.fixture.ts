// Shared by the model swap / canary / shadow e2e specs: the pipeline fixture plus a real
// model-registry process on the same prefix (no import of the shipped models), holding real
// detector versions trained on the committed samples (different seeds), and stage processes
// that take their models from it.
import { type ContractId, type DetectionBatchMessage, type ModelVersionInfo } from '@vigil/contracts';
import { shippedModelName, trainSampleVersion } from '@vigil/inference';
import { RegistryClient } from '@vigil/registry-client';
import { expectEventually } from '@vigil/testing';
import { type Pipeline, openPipeline } from './pipeline.fixture';

export interface SwapPipeline extends Pipeline {
  registry: RegistryClient;
  /** Uploads a real detector version of a contract (seed picks the trees); returns its registry version. */
  uploadDetector(contract: ContractId, seed: number): Promise<ModelVersionInfo>;
  /** Waits until `replicas` detection replicas serve `version` under `alias` for the contract's detector; returns ms waited. */
  awaitServing(args: { contract: ContractId; alias: 'production' | 'canary' | 'shadow'; version: number; replicas: number; timeoutMs?: number }): Promise<number>;
}

export async function openSwapPipeline(): Promise<SwapPipeline> {
  const p = await openPipeline();
  await p.start('model-registry', { REGISTRY_IMPORT_ON_START: 'false', REGISTRY_ROLLOUT_FORGET_MS: '3000' });
  const registry = new RegistryClient({ connection: p.nc, prefix: p.topology.prefix });
  return Object.assign(p, {
    registry,
    uploadDetector: async (contract: ContractId, seed: number) => {
      const v = await trainSampleVersion({ contract, task: 'detect', seed, nEstimators: 8, maxDepth: 8 });
      return registry.upload({ manifest: v.manifest, model: v.model, createdBy: 'e2e' });
    },
    awaitServing: async (args: { contract: ContractId; alias: 'production' | 'canary' | 'shadow'; version: number; replicas: number; timeoutMs?: number }) => {
      const started = performance.now();
      const name = shippedModelName('detect', args.contract);
      await expectEventually(async () => {
        const status = await registry.ask<{ models: { name: string; aliases: Record<string, { serving: Record<string, number> }> }[] }>('rolloutStatus', { name });
        expect(status.models.find((m) => m.name === name)?.aliases[args.alias]?.serving[String(args.version)] ?? 0).toBe(args.replicas);
      }, { timeoutMs: args.timeoutMs ?? 20_000, intervalMs: 25 });
      return performance.now() - started;
    },
  });
}

/** Flows of each detection result by the version that scored them (canary rows counted apart). */
export function flowsByVersion(batches: readonly DetectionBatchMessage[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const b of batches) {
    const canary = b.header.canary?.rows.length ?? 0;
    out.set(b.header.model.version, (out.get(b.header.model.version) ?? 0) + b.header.count - canary);
    if (b.header.canary) out.set(b.header.canary.model.version, (out.get(b.header.canary.model.version) ?? 0) + canary);
  }
  return out;
}
