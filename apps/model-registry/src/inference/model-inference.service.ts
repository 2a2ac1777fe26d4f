import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type ModelManifest } from '@vigil/contracts';
import { OnnxModelSession } from '@vigil/inference';
import { type DecisionRule, decide } from '@vigil/ml';
import { type InferReply, type InferRequest } from '@vigil/registry-client';
import { AliasService } from '../aliases/alias.service';
import { REGISTRY_CONFIG } from '../config/model-registry.tokens';
import { type ModelRegistryConfig } from '../config/model-registry.config';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';
import { VersionRepository } from '../versions/version.repository';

interface Loaded {
  session: OnnxModelSession;
  manifest: ModelManifest;
  rule: DecisionRule | null;
  queue: Promise<unknown>;
}

/** Sessions kept, by artifact sha256 (the least recently used goes first). */
const MAX_SESSIONS = 8;

/** The manifest's decision rule (as the inference stages label), or null for the model's own argmax. */
function ruleOf(manifest: ModelManifest): DecisionRule | null {
  const nClasses = manifest.classLabels.length;
  if (manifest.task === 'detect') return { task: 'detect', nClasses, positiveClass: manifest.positiveClass, threshold: manifest.threshold };
  if (manifest.normalClass !== undefined) return { task: 'classify', nClasses, normalClass: manifest.normalClass, threshold: manifest.threshold };
  return null;
}

/**
 * Direct inference on any registered version, for the gateway's KServe v2 endpoints: the
 * version's ONNX session is created once and kept by sha256; rows arrive in the model's own
 * input order; labels follow the manifest's decision rule. Runs on one session are serialised.
 */
@Injectable()
export class ModelInferenceService implements OnModuleDestroy {
  private readonly sessions = new Map<string, Promise<Loaded>>();

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: ModelRegistryConfig,
    private readonly versions: VersionRepository,
    private readonly aliases: AliasService,
  ) {}

  async infer(req: InferRequest): Promise<InferReply> {
    const version = req.version ?? (await this.aliasVersion(req.name, req.alias ?? 'production'));
    const row = await this.versions.get(req.name, version);
    const width = row.manifest.features.length;
    if (req.features.length !== req.rows * width) {
      throw new RegistryError(C.InvalidRequest, `${req.name} v${version} takes ${width} features per row: ${req.rows} rows need ${req.rows * width} values, got ${req.features.length}`, { rows: req.rows, width, values: req.features.length });
    }
    const loaded = await this.load(row.sha256, req.name, version);
    const X = Float32Array.from(req.features, (v) => (v === null ? Number.NaN : v));
    const started = performance.now();
    const run = loaded.queue.then(() => loaded.session.run(X, req.rows));
    loaded.queue = run.catch(() => undefined);
    const out = await run;
    const labels = loaded.rule === null ? out.labels : decide(loaded.rule, out.probabilities, req.rows);
    const m = loaded.manifest;
    return {
      name: req.name, version, task: m.task, features: [...m.features], classLabels: [...m.classLabels],
      labels: Array.from(labels.subarray(0, req.rows), (i) => m.classLabels[i] ?? String(i)),
      probabilities: Array.from(out.probabilities.subarray(0, req.rows * m.classLabels.length)),
      inferenceMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
  }

  async onModuleDestroy(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.session.release()));
  }

  private async aliasVersion(name: string, alias: 'production' | 'canary' | 'shadow'): Promise<number> {
    await this.versions.model(name);
    const target = (await this.aliases.get(name))[alias];
    if (target === undefined) throw new RegistryError(C.VersionNotFound, `model ${name} has no ${alias} version`, { name, alias });
    return target.version;
  }

  private load(sha256: string, name: string, version: number): Promise<Loaded> {
    const cached = this.sessions.get(sha256);
    if (cached !== undefined) {
      this.sessions.delete(sha256);
      this.sessions.set(sha256, cached);
      return cached;
    }
    const loading = this.create(name, version);
    loading.catch(() => this.sessions.delete(sha256));
    this.sessions.set(sha256, loading);
    if (this.sessions.size > MAX_SESSIONS) {
      const [oldest, evicted] = this.sessions.entries().next().value as [string, Promise<Loaded>];
      this.sessions.delete(oldest);
      void evicted.then(async (l) => { await l.queue; await l.session.release(); }).catch(() => undefined);
    }
    return loading;
  }

  private async create(name: string, version: number): Promise<Loaded> {
    const row = await this.versions.get(name, version);
    const artifact = await this.versions.artifactSlice({ name, version, offset: 0, length: Math.min(row.sizeBytes, this.config.maxModelBytes) });
    const session = await OnnxModelSession.create({ model: artifact.data, classLabels: row.manifest.classLabels, intraOpNumThreads: 1 });
    return { session, manifest: row.manifest, rule: ruleOf(row.manifest), queue: Promise.resolve() };
  }
}
