import { existsSync, readdirSync } from 'node:fs';
import { type ContractId } from '@vigil/contracts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelManifestError, ModelNotFoundError } from './model-runner.errors';
import { ModelRunner } from './model-runner';

export const MANIFEST_FILE = 'manifest.json';
export const MODEL_FILE = 'model.onnx';

/** `<repo>/models`, found from this file (src/ or its dist/ copy) by the nx.json at the repo root. */
export function defaultModelsDir(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('models');
    dir = parent;
  }
  return path.join(dir, 'models');
}

/** The shipped model name of a task and contract: `threat-detector-nsl-kdd`, `attack-classifier-cicflowmeter`. */
export function shippedModelName(task: 'detect' | 'classify', contract: string): string {
  return `${task === 'detect' ? 'threat-detector' : 'attack-classifier'}-${contract}`;
}

/** Loads `manifest.json` + `model.onnx` of one version folder. */
export async function loadModelVersion(dir: string, opts: { intraOpNumThreads?: number; homeNet?: readonly string[] } = {}): Promise<ModelRunner> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const modelPath = path.join(dir, MODEL_FILE);
  if (!existsSync(manifestPath) || !existsSync(modelPath)) {
    throw new ModelNotFoundError(`model version folder ${dir} needs ${MANIFEST_FILE} and ${MODEL_FILE}`, { dir });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (cause) {
    throw new ModelManifestError(`${manifestPath} is not JSON`, { dir }, cause);
  }
  const runner = await ModelRunner.create({ manifest, model: new Uint8Array(await readFile(modelPath)), intraOpNumThreads: opts.intraOpNumThreads, homeNet: opts.homeNet });
  if (path.basename(dir) !== String(runner.manifest.version)) {
    await runner.release();
    throw new ModelManifestError(`${dir} holds version ${runner.manifest.version} of ${runner.manifest.name}; the folder must be named after it`, { dir });
  }
  return runner;
}

/** The highest version folder under `<modelsDir>/<name>/`; never a stand-in when there is none. */
export async function loadShippedModel(args: { modelsDir: string; name: string; intraOpNumThreads?: number; homeNet?: readonly string[] }): Promise<ModelRunner> {
  const root = path.join(args.modelsDir, args.name);
  const versions = existsSync(root)
    ? readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && /^[1-9]\d*$/.test(e.name)).map((e) => Number(e.name))
    : [];
  if (versions.length === 0) {
    throw new ModelNotFoundError(`no version of model ${args.name} under ${args.modelsDir} (expected ${args.name}/<version>/${MANIFEST_FILE} and ${MODEL_FILE})`, { modelsDir: args.modelsDir, name: args.name });
  }
  const runner = await loadModelVersion(path.join(root, String(Math.max(...versions))), args);
  if (runner.manifest.name !== args.name) {
    await runner.release();
    throw new ModelManifestError(`${root} holds a manifest named ${runner.manifest.name}`, { name: args.name });
  }
  return runner;
}

/** The shipped model of a task for every contract, keyed by contract; the first failure throws. */
export async function loadShippedModels(args: { modelsDir?: string; task: 'detect' | 'classify'; contracts: readonly ContractId[] }): Promise<Map<ContractId, ModelRunner>> {
  const modelsDir = args.modelsDir ?? defaultModelsDir();
  const out = new Map<ContractId, ModelRunner>();
  try {
    for (const contract of args.contracts) {
      const runner = await loadShippedModel({ modelsDir, name: shippedModelName(args.task, contract) });
      if (runner.manifest.task !== args.task || runner.manifest.contract.id !== contract) {
        await runner.release();
        throw new ModelManifestError(`${runner.manifest.name} is a ${runner.manifest.task} model of ${runner.manifest.contract.id}; ${args.task} of ${contract} expected`);
      }
      out.set(contract, runner);
    }
  } catch (err) {
    await Promise.all([...out.values()].map((r) => r.release()));
    throw err;
  }
  return out;
}
