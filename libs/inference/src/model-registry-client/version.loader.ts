import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ContractId, type FlowEnvelope, type ModelTask } from '@vigil/contracts';
import { ModelRunner } from '../model-runner';
import { readSampleRows } from '../sample-models';
import { RegistryClientError, type RegistryClient } from '@vigil/registry-client';

export interface ModelExpectation {
  readonly task?: ModelTask;
  readonly contract?: ContractId;
}

const WARM_ROWS = 64;

/**
 * Loads one registry version into a warmed ModelRunner, off the hot path: manifest and artifact
 * from the registry (the artifact from the sha256 cache when present), checked against what
 * this service serves, then run on real rows of its contract so the first live batch pays no
 * first-run cost and a model that gives invalid probabilities never goes live.
 */
export class RegistryVersionLoader {
  private readonly golden = new Map<ContractId, Promise<{ features: Float32Array; count: number; envelopes: readonly FlowEnvelope[] }>>();

  constructor(private readonly deps: { client: RegistryClient; expect: ModelExpectation; cacheDir?: string; intraOpNumThreads?: number; homeNet?: readonly string[] }) {}

  async load(name: string, version: number): Promise<ModelRunner> {
    const info = await this.deps.client.version(name, version);
    const { task, contract } = this.deps.expect;
    if ((task !== undefined && info.task !== task) || (contract !== undefined && info.contract.id !== contract)) {
      throw new RegistryClientError('REGISTRY_CLIENT.MODEL_MISMATCH', `${name} v${version} is a ${info.task} model of ${info.contract.id}; this service serves ${task ?? 'any task'} of ${contract ?? 'any contract'}`);
    }
    const model = await this.artifact(name, version, info.sha256);
    const runner = await ModelRunner.create({ manifest: info.manifest, model, intraOpNumThreads: this.deps.intraOpNumThreads, homeNet: this.deps.homeNet });
    try {
      await this.warm(runner);
      return runner;
    } catch (err) {
      await runner.release();
      throw err;
    }
  }

  private async artifact(name: string, version: number, sha256: string): Promise<Uint8Array> {
    const cached = this.deps.cacheDir === undefined ? undefined : path.join(this.deps.cacheDir, `${sha256}.onnx`);
    if (cached !== undefined && existsSync(cached)) {
      const bytes = new Uint8Array(await readFile(cached));
      if (createHash('sha256').update(bytes).digest('hex') === sha256) return bytes;
    }
    const { model } = await this.deps.client.download(name, version);
    if (cached !== undefined) {
      mkdirSync(path.dirname(cached), { recursive: true });
      // Written aside and renamed, so a crash never leaves a half file under the final name.
      await writeFile(`${cached}.${process.pid}.tmp`, model);
      await rename(`${cached}.${process.pid}.tmp`, cached);
    }
    return model;
  }

  private async warm(runner: ModelRunner): Promise<void> {
    const contract = runner.contract.id as ContractId;
    let rows = this.golden.get(contract);
    if (rows === undefined) {
      rows = readSampleRows(contract).then((all) => {
        const count = Math.min(all.count, WARM_ROWS);
        return { features: all.features.slice(0, (all.features.length / all.count) * count), count, envelopes: all.envelopes.slice(0, count) };
      });
      this.golden.set(contract, rows);
    }
    const { features, count, envelopes } = await rows;
    const out = await runner.run(features, count, envelopes);
    const n = out.nClasses;
    for (let r = 0; r < count; r++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += out.probabilities[r * n + k];
      if (!Number.isFinite(sum) || Math.abs(sum - 1) > 1e-4) {
        throw new RegistryClientError('REGISTRY_CLIENT.MODEL_MISMATCH', `${runner.ref.name} v${runner.ref.version} gave probabilities summing to ${sum} on warm-up row ${r}`);
      }
    }
  }
}
