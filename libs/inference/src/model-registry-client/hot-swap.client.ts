import { type ModelAliases, type ModelRef, modelActivatedEventSchema, type RolloutReport } from '@vigil/contracts';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { type ModelRunResult, type ModelRunner } from '../model-runner';
import { routesToCanary } from './canary.routing';
import { RegistryClient, RegistryClientError } from '@vigil/registry-client';
import { type ActiveModels, RunnerLease, type Slot, type VersionState, buildReport, nextActive } from './served-models';
import { type ModelExpectation, RegistryVersionLoader } from './version.loader';

export interface HotSwapLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface HotSwapClientOptions {
  readonly connection: NatsConnection;
  readonly jetstream: JetStreamClient;
  /** The registered model this replica serves, e.g. `threat-detector-cicflowmeter`. */
  readonly model: string;
  /** This replica's id in rollout reports (a subject token). */
  readonly replica: string;
  readonly service: string;
  /** Registry subject prefix (empty in production). */
  readonly prefix?: string;
  /** What a version must be to go live here (a detection replica refuses a classifier). */
  readonly expect?: ModelExpectation;
  /** Served as production until the registry's first activation event (e.g. the shipped model). */
  readonly initial?: ModelRunner;
  /** Artifacts by sha256, so a restart or a rollback does not download again. */
  readonly cacheDir?: string;
  readonly reportIntervalMs?: number;
  readonly logger?: HotSwapLogger;
}

export type RunOutput = Pick<ModelRunResult, 'count' | 'nClasses' | 'labels' | 'probabilities' | 'positive' | 'decisions'>;

export interface HotSwapResult {
  /** The version that made this result: production's, or the canary's for batches routed to it. */
  readonly model: ModelRef;
  readonly role: 'production' | 'canary';
  /** Owned copies: valid after later runs. */
  readonly output: RunOutput;
  /** Shadow's answer on the same rows: recorded, never to be acted on. */
  readonly shadow?: { readonly model: ModelRef; readonly output: RunOutput; readonly agreed: number };
}

const silent: HotSwapLogger = { info: () => undefined, warn: () => undefined };

/**
 * Serves one registered model on an inference replica and follows its aliases: on a
 * `models.activated.<name>` event it loads and warms the new version off the hot path, then
 * swaps the alias assignment in one assignment between batches. Batches already running keep
 * the runner they started with; a version that fails to load leaves the old one serving and is
 * reported with its reason on `models.rollout.<replica>`.
 */
export class ModelHotSwapClient {
  private active: ActiveModels = {};
  private readonly loaded = new Map<number, RunnerLease>();
  private readonly states = new Map<number, VersionState>();
  private readonly loader: RegistryVersionLoader;
  private readonly registry: RegistryClient;
  private readonly logger: HotSwapLogger;
  private desired: ModelAliases | undefined;
  private reconciling: Promise<void> | undefined;
  private messages: ConsumerMessages | undefined;
  private poll: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private following: Promise<void> | undefined;
  private stopped = false;

  private constructor(private readonly opts: HotSwapClientOptions) {
    this.registry = new RegistryClient({ connection: opts.connection, prefix: opts.prefix });
    this.loader = new RegistryVersionLoader({ client: this.registry, expect: opts.expect ?? {}, cacheDir: opts.cacheDir });
    this.logger = opts.logger ?? silent;
    if (opts.initial) {
      const lease = new RunnerLease(opts.initial);
      this.loaded.set(opts.initial.ref.version, lease);
      this.states.set(opts.initial.ref.version, { state: 'loaded', batches: 0 });
      this.active = { production: { version: opts.initial.ref.version, lease } };
    }
  }

  static start(opts: HotSwapClientOptions): ModelHotSwapClient {
    const client = new ModelHotSwapClient(opts);
    client.poll = opts.connection.subscribe(client.registry.topology.rolloutPoll, { callback: () => client.publishReport() });
    client.timer = setInterval(() => client.publishReport(), opts.reportIntervalMs ?? 5_000);
    client.timer.unref();
    client.following = client.follow();
    client.publishReport();
    return client;
  }

  /** The versions serving each alias right now. */
  current(): { production?: ModelRef; canary?: ModelRef & { share: number }; shadow?: ModelRef } {
    const ref = (slot: Slot | undefined) => (slot ? { name: this.opts.model, version: slot.version } : undefined);
    const a = this.active;
    return { production: ref(a.production), ...(a.canary ? { canary: { name: this.opts.model, version: a.canary.version, share: a.canary.share } } : {}), shadow: ref(a.shadow) };
  }

  async run(args: { batchId: string; features: Float32Array; count: number }): Promise<HotSwapResult> {
    const active = this.active;
    if (active.production === undefined) throw new RegistryClientError('REGISTRY_CLIENT.NO_MODEL', `no version of ${this.opts.model} is serving yet`);
    const canary = active.canary !== undefined && routesToCanary(args.batchId, active.canary.share);
    const main = canary && active.canary ? active.canary : active.production;
    const shadow = active.shadow;
    main.lease.acquire();
    shadow?.lease.acquire();
    try {
      const [output, shadowOutput] = await Promise.all([runCopy(main, args), shadow ? runCopy(shadow, args).catch((err: unknown) => this.shadowFailed(shadow, err)) : undefined]);
      this.count(main.version);
      const result: HotSwapResult = { model: { name: this.opts.model, version: main.version }, role: canary ? 'canary' : 'production', output };
      if (!shadow || !shadowOutput) return result;
      const agreed = agreement(output, shadowOutput);
      this.recordAgreement(shadow.version, args.count, agreed);
      return { ...result, shadow: { model: { name: this.opts.model, version: shadow.version }, output: shadowOutput, agreed } };
    } finally {
      await Promise.all([main.lease.releaseUse(), shadow?.lease.releaseUse()]);
    }
  }

  report(): RolloutReport {
    return buildReport({ replica: this.opts.replica, service: this.opts.service, name: this.opts.model, active: this.active, states: this.states, at: new Date() });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.poll?.unsubscribe();
    await this.messages?.close();
    await this.following;
    await this.reconciling;
    this.active = {};
    await Promise.all([...this.loaded.values()].map((lease) => lease.retire()));
    this.loaded.clear();
  }

  private async follow(): Promise<void> {
    const subject = this.registry.topology.activated(this.opts.model);
    while (!this.stopped) {
      try {
        // The stream keeps every event; the latest one per model is the whole current alias state.
        const consumer = await this.opts.jetstream.consumers.get(this.registry.topology.stream.name, { filter_subjects: subject, deliver_policy: DeliverPolicy.LastPerSubject });
        this.messages = await consumer.consume();
        if (this.stopped) await this.messages.close();
        for await (const msg of this.messages) {
          const event = modelActivatedEventSchema.safeParse(msg.json());
          if (event.success) this.want(event.data.aliases);
          else this.logger.warn({ subject: msg.subject }, 'ignored a malformed activation event');
        }
      } catch (err) {
        if (this.stopped) return;
        this.logger.warn({ err, subject }, 'activation events unavailable; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private want(desired: ModelAliases): void {
    this.desired = desired;
    this.reconciling ??= this.reconcileLoop().finally(() => (this.reconciling = undefined));
  }

  private async reconcileLoop(): Promise<void> {
    while (this.desired !== undefined && !this.stopped) {
      const desired = this.desired;
      this.desired = undefined;
      await this.reconcile(desired);
    }
  }

  private async reconcile(desired: ModelAliases): Promise<void> {
    const wanted = new Set([desired.production, desired.canary, desired.shadow].filter((t) => t !== undefined).map((t) => t.version));
    for (const version of wanted) if (!this.loaded.has(version)) await this.load(version);
    const before = this.active;
    this.active = nextActive({ current: before, desired, loaded: this.loaded });
    const inUse = new Set([this.active.production, this.active.canary, this.active.shadow].filter((s) => s !== undefined).map((s) => s.version));
    for (const [version, lease] of this.loaded) {
      if (inUse.has(version)) continue;
      this.loaded.delete(version);
      this.states.delete(version);
      await lease.retire();
    }
    for (const version of [...this.states.keys()]) if (this.states.get(version)?.state === 'failed' && !wanted.has(version)) this.states.delete(version);
    this.logger.info({ model: this.opts.model, serving: this.current() }, 'model aliases applied');
    this.publishReport();
  }

  private async load(version: number): Promise<void> {
    this.states.set(version, { state: 'loading', batches: 0 });
    this.publishReport();
    const started = performance.now();
    try {
      const runner = await this.loader.load(this.opts.model, version);
      this.loaded.set(version, new RunnerLease(runner));
      this.states.set(version, { state: 'loaded', batches: 0 });
      this.logger.info({ model: this.opts.model, version, loadMs: Math.round(performance.now() - started) }, 'model version loaded and warmed');
    } catch (err) {
      const reason = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      this.states.set(version, { state: 'failed', reason, batches: 0 });
      this.logger.warn({ model: this.opts.model, version, reason }, 'model version failed to load; the previous version keeps serving');
    }
  }

  private publishReport(): void {
    if (this.opts.connection.isClosed()) return;
    this.opts.connection.publish(this.registry.topology.rollout(this.opts.replica), JSON.stringify(this.report()));
  }

  private count(version: number): void {
    const s = this.states.get(version);
    if (s) s.batches += 1;
  }

  private recordAgreement(version: number, rows: number, agreed: number): void {
    const s = this.states.get(version);
    if (!s) return;
    s.batches += 1;
    s.agreement = { rows: (s.agreement?.rows ?? 0) + rows, agreed: (s.agreement?.agreed ?? 0) + agreed };
  }

  private shadowFailed(shadow: Slot, err: unknown): undefined {
    this.logger.warn({ model: this.opts.model, version: shadow.version, err }, 'shadow run failed; production result unaffected');
    return undefined;
  }
}

async function runCopy(slot: Slot, args: { features: Float32Array; count: number }): Promise<RunOutput> {
  const out = await slot.lease.runner.run(args.features, args.count);
  // The runner reuses its buffers on its next run: copy before anything else can run.
  return { count: out.count, nClasses: out.nClasses, labels: out.labels.slice(), probabilities: out.probabilities.slice(), positive: out.positive?.slice(), decisions: out.decisions?.slice() };
}

/** Rows on which two models reach the same verdict: the decision for detectors, the class otherwise. */
function agreement(a: RunOutput, b: RunOutput): number {
  let agreed = 0;
  for (let r = 0; r < a.count; r++) {
    const same = a.decisions && b.decisions ? a.decisions[r] === b.decisions[r] : a.labels[r] === b.labels[r];
    if (same) agreed += 1;
  }
  return agreed;
}
