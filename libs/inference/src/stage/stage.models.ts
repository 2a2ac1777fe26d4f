// The models one inference replica serves: one ModelHotSwapClient per contract. With the
// registry as source, each model starts on the registry's production alias and follows its
// moves; only when the registry holds no version of a model does the shipped folder serve
// (said in the logs), until the registry activates one. With `files`, shipped models only.
import { type ContractId, type ModelTask } from '@vigil/contracts';
import { type JetStreamClient } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/nats-core';
import { RegistryClient } from '@vigil/registry-client';
import { type ModelRunner } from '../model-runner';
import { defaultModelsDir, loadShippedModel, shippedModelName } from '../model-version.loader';
import { type FlowRows } from '../model-registry-client/flow.routing';
import { type FlowsResult, ModelHotSwapClient } from '../model-registry-client/hot-swap.client';
import { type PrepareVersion, type VersionAddons } from '../model-registry-client/served-models';
import { type StageSettings } from './stage.config';

export interface StageModelsLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface StageModelsOptions {
  readonly task: ModelTask;
  readonly contracts: readonly ContractId[];
  readonly settings: StageSettings;
  readonly connection: NatsConnection;
  readonly jetstream: JetStreamClient;
  readonly service: string;
  readonly instance: string;
  readonly logger: StageModelsLogger;
  readonly reportIntervalMs?: number;
  /** Builds each version's addons (explainer, drift monitor) when it loads, before it serves. */
  readonly prepare?: PrepareVersion;
}

const RETRY_MS = 2_000;

export class StageModelSet {
  private readonly clients = new Map<ContractId, ModelHotSwapClient>();
  private readonly problems = new Map<ContractId, Error>();
  private readonly registry: RegistryClient;
  private stopped = false;
  private readonly started: Promise<void>;

  private constructor(private readonly opts: StageModelsOptions) {
    this.registry = new RegistryClient({ connection: opts.connection, prefix: opts.settings.pipelinePrefix, timeoutMs: 5_000 });
    for (const c of opts.contracts) this.problems.set(c, new Error(`model ${this.nameOf(c)} not loaded yet`));
    this.started = Promise.all(opts.contracts.map((c) => this.resolve(c))).then(() => undefined);
  }

  /** Starts resolving every contract's model in the background; `ready` resolves once all serve. */
  static start(opts: StageModelsOptions): StageModelSet {
    return new StageModelSet(opts);
  }

  get ready(): Promise<void> {
    return this.started;
  }

  /** Why the set cannot serve yet, naming each model's problem; undefined when every model serves. */
  problem(): Error | undefined {
    const errors = [...this.problems.values()];
    if (errors.length === 0) return undefined;
    return errors.length === 1 ? errors[0] : new Error(errors.map((e) => e.message).join('; '));
  }

  client(contract: ContractId): ModelHotSwapClient {
    const client = this.clients.get(contract);
    if (client === undefined) throw new Error(`no ${this.opts.task} model for contract ${contract}`);
    return client;
  }

  runFlows(contract: ContractId, flows: FlowRows): Promise<FlowsResult> {
    return this.client(contract).runFlows(flows);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.started.catch(() => undefined);
    await Promise.all([...this.clients.values()].map((c) => c.stop()));
  }

  private nameOf(contract: ContractId): string {
    return shippedModelName(this.opts.task, contract);
  }

  private async resolve(contract: ContractId): Promise<void> {
    if (this.opts.settings.modelSource === 'files') return this.serveShipped(contract, false);
    const name = this.nameOf(contract);
    while (!this.stopped) {
      try {
        const aliases = await this.registry.aliases(name);
        if (aliases.production === undefined) return this.serveShipped(contract, true);
        return this.serveRegistry(contract, aliases.production.version);
      } catch (err) {
        if ((err as { code?: string }).code === 'REGISTRY.MODEL_NOT_FOUND') return this.serveShipped(contract, true);
        this.problems.set(contract, new Error(`model registry unreachable for ${name}: ${(err as Error).message}`));
        this.opts.logger.warn({ err, model: name }, 'model registry did not answer; retrying (not consuming until it does)');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async serveShipped(contract: ContractId, follow: boolean): Promise<void> {
    const name = this.nameOf(contract);
    const modelsDir = this.opts.settings.modelsDir ?? defaultModelsDir();
    let initial: ModelRunner;
    let initialAddons: VersionAddons;
    try {
      initial = await loadShippedModel({ modelsDir, name, homeNet: this.opts.settings.homeNet });
      initialAddons = (await this.opts.prepare?.(initial)) ?? {};
    } catch (err) {
      this.problems.set(contract, err as Error);
      this.opts.logger.error({ err, model: name }, 'shipped model could not be loaded; not consuming');
      throw err;
    }
    this.opts.logger.warn(
      { model: initial.ref, modelsDir, source: this.opts.settings.modelSource },
      follow ? 'the model registry holds no version of this model: serving the shipped one from MODELS_DIR until the registry activates one' : 'MODEL_SOURCE=files: serving the shipped model from MODELS_DIR (no registry)',
    );
    this.clients.set(contract, this.startClient(contract, { initial, initialAddons, follow }));
    this.problems.delete(contract);
  }

  private async serveRegistry(contract: ContractId, version: number): Promise<void> {
    const client = this.startClient(contract, { follow: true });
    this.clients.set(contract, client);
    const name = this.nameOf(contract);
    while (!this.stopped && client.current().production === undefined) {
      const failed = client.report().models.find((m) => m.state === 'failed');
      this.problems.set(contract, new Error(failed ? `${name} v${failed.version} failed to load: ${failed.reason ?? 'unknown'}` : `loading ${name} v${version} from the model registry`));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.problems.delete(contract);
    this.opts.logger.info({ model: name, serving: client.current() }, 'serving the registry production version');
  }

  private startClient(contract: ContractId, args: { initial?: ModelRunner; initialAddons?: VersionAddons; follow: boolean }): ModelHotSwapClient {
    const { settings, service, instance } = this.opts;
    return ModelHotSwapClient.start({
      connection: this.opts.connection, jetstream: this.opts.jetstream, prefix: settings.pipelinePrefix, model: this.nameOf(contract),
      // One report per model: the registry keys reports by replica id.
      replica: `${service}-${instance}-${contract}`.replace(/[^A-Za-z0-9_-]/g, '_'), service,
      expect: { task: this.opts.task, contract }, initial: args.initial, initialAddons: args.initialAddons, prepare: this.opts.prepare, follow: args.follow, homeNet: settings.homeNet,
      cacheDir: settings.modelCacheDir, reportIntervalMs: this.opts.reportIntervalMs, logger: this.opts.logger,
    });
  }
}
