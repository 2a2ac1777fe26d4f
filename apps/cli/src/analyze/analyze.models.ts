// The detector and classifier `vigil analyze` runs per contract: the shipped ones of the
// file's contract, unless `--model` named a version folder of that contract and task. A shipped
// gated classifier whose gate is the detector itself shares it (analyze.classifier.ts).
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ContractId, modelManifestSchema } from '@vigil/contracts';
import { MANIFEST_FILE, MODEL_FILE, type ModelRunner, defaultModelsDir, loadModelVersion, loadShippedModel, shippedModelName } from '@vigil/inference';
import { type FlaggedClassifier, gateSharingClassifier, wholeClassifier } from './analyze.classifier';
import { AnalyzeError } from './analyze.errors';

export interface ModelPair {
  readonly detector: ModelRunner;
  readonly classifier: FlaggedClassifier;
}

export class AnalyzeModels {
  private readonly pairs = new Map<ContractId, Promise<ModelPair>>();
  /** Sessions this object loaded (explicit runners, shipped detectors, classifiers not wrapping an explicit runner). */
  private readonly owned = new Set<{ release(): Promise<void> }>();
  private released?: Promise<void>;

  private constructor(
    private readonly explicit: readonly ModelRunner[],
    private readonly opts: { modelsDir: string; homeNet?: readonly string[] },
  ) {
    for (const r of explicit) this.owned.add(r);
  }

  static async open(args: { modelDirs: readonly string[]; modelsDir?: string; homeNet?: readonly string[] }): Promise<AnalyzeModels> {
    const explicit: ModelRunner[] = [];
    for (const dir of args.modelDirs) explicit.push(await loadModelVersion(dir, { homeNet: args.homeNet }));
    return new AnalyzeModels(explicit, { modelsDir: args.modelsDir ?? defaultModelsDir(), homeNet: args.homeNet });
  }

  for(contract: ContractId): Promise<ModelPair> {
    let pair = this.pairs.get(contract);
    if (!pair) this.pairs.set(contract, (pair = this.load(contract)));
    return pair;
  }

  /** Frees every onnxruntime session once (the analysis frees them as soon as inference is over). */
  release(): Promise<void> {
    this.released ??= this.releaseAll();
    return this.released;
  }

  private async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.pairs.values()]);
    await Promise.all([...this.owned].map((r) => r.release()));
  }

  private async load(contract: ContractId): Promise<ModelPair> {
    const detector = await this.pick(contract, 'detect');
    const given = this.given(contract, 'classify');
    if (given) return { detector, classifier: wholeClassifier(given) };
    const classifier = (await this.sharedGate(contract, detector)) ?? wholeClassifier(await this.pick(contract, 'classify'));
    this.owned.add(classifier);
    return { detector, classifier };
  }

  private given(contract: ContractId, task: 'detect' | 'classify'): ModelRunner | undefined {
    return this.explicit.find((r) => r.manifest.contract.id === contract && r.manifest.task === task);
  }

  private async pick(contract: ContractId, task: 'detect' | 'classify'): Promise<ModelRunner> {
    const given = this.given(contract, task);
    if (given) return given;
    const name = shippedModelName(task, contract);
    const runner = await loadShippedModel({ modelsDir: this.opts.modelsDir, name, homeNet: this.opts.homeNet });
    if (task === 'detect') this.owned.add(runner);
    if (runner.manifest.task !== task) throw new AnalyzeError('ANALYZE.MODEL_MISMATCH', `${name} is a ${runner.manifest.task} model; ${task} expected`, { name });
    return runner;
  }

  /** The shipped classifier with its gate shared, when its files are sound and it qualifies; else undefined (loaded whole, with the loader's checks and errors). */
  private async sharedGate(contract: ContractId, detector: ModelRunner): Promise<FlaggedClassifier | undefined> {
    const name = shippedModelName('classify', contract);
    const root = path.join(this.opts.modelsDir, name);
    const versions = existsSync(root) ? readdirSync(root).filter((v) => /^[1-9]\d*$/.test(v)).map(Number) : [];
    if (versions.length === 0) return undefined;
    const dir = path.join(root, String(Math.max(...versions)));
    if (!existsSync(path.join(dir, MANIFEST_FILE)) || !existsSync(path.join(dir, MODEL_FILE))) return undefined;
    let manifest;
    try {
      manifest = modelManifestSchema.parse(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')));
    } catch {
      return undefined;
    }
    if (manifest.name !== name || String(manifest.version) !== path.basename(dir)) return undefined;
    return gateSharingClassifier({ manifest, onnx: new Uint8Array(await readFile(path.join(dir, MODEL_FILE))), detector, homeNet: this.opts.homeNet });
  }
}
