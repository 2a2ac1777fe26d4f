// The detector and classifier `vigil analyze` runs per contract: the shipped ones of the
// file's contract, unless `--model` named a version folder of that contract and task.
import path from 'node:path';
import { type ContractId } from '@vigil/contracts';
import { type ModelRunner, defaultModelsDir, loadModelVersion, loadShippedModel, shippedModelName } from '@vigil/inference';
import { AnalyzeError } from './analyze.errors';

export interface ModelPair {
  readonly detector: ModelRunner;
  readonly classifier: ModelRunner;
  /** Model folders, for explanations (the ONNX trees) and drift (the manifest histograms). */
  readonly dirs: { readonly detector: string; readonly classifier: string };
}

export class AnalyzeModels {
  private readonly pairs = new Map<ContractId, Promise<ModelPair>>();

  private constructor(
    private readonly explicit: readonly ModelRunner[],
    private readonly explicitDirs: ReadonlyMap<ModelRunner, string>,
    private readonly opts: { modelsDir: string; homeNet?: readonly string[] },
  ) {}

  static async open(args: { modelDirs: readonly string[]; modelsDir?: string; homeNet?: readonly string[] }): Promise<AnalyzeModels> {
    const dirs = new Map<ModelRunner, string>();
    for (const dir of args.modelDirs) dirs.set(await loadModelVersion(dir, { homeNet: args.homeNet }), dir);
    return new AnalyzeModels([...dirs.keys()], dirs, { modelsDir: args.modelsDir ?? defaultModelsDir(), homeNet: args.homeNet });
  }

  for(contract: ContractId): Promise<ModelPair> {
    let pair = this.pairs.get(contract);
    if (!pair) this.pairs.set(contract, (pair = this.load(contract)));
    return pair;
  }

  async release(): Promise<void> {
    const loaded = await Promise.allSettled([...this.pairs.values()]);
    const runners = new Set<ModelRunner>(this.explicit);
    for (const p of loaded) if (p.status === 'fulfilled') runners.add(p.value.detector).add(p.value.classifier);
    await Promise.all([...runners].map((r) => r.release()));
  }

  private async load(contract: ContractId): Promise<ModelPair> {
    const [detector, detectorDir] = await this.pick(contract, 'detect');
    const [classifier, classifierDir] = await this.pick(contract, 'classify');
    return { detector, classifier, dirs: { detector: detectorDir, classifier: classifierDir } };
  }

  private async pick(contract: ContractId, task: 'detect' | 'classify'): Promise<[ModelRunner, string]> {
    const given = this.explicit.find((r) => r.manifest.contract.id === contract && r.manifest.task === task);
    if (given) return [given, this.explicitDirs.get(given) as string];
    const name = shippedModelName(task, contract);
    const runner = await loadShippedModel({ modelsDir: this.opts.modelsDir, name, homeNet: this.opts.homeNet });
    if (runner.manifest.task !== task) throw new AnalyzeError('ANALYZE.MODEL_MISMATCH', `${name} is a ${runner.manifest.task} model; ${task} expected`, { name });
    return [runner, path.join(this.opts.modelsDir, name, String(runner.manifest.version))];
  }
}
