import { type FlowEnvelope, type ModelAliases, type ModelRef, modelActivatedEventSchema, type RolloutReport } from '@vigil/contracts';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { type ModelRunner } from '../model-runner';
import { routesToCanary } from './canary.routing';
import { type FlowRows, type RunOutput, type ServedPart, agreementOf, canaryRows, otherRows, pickRows, runSlot } from './flow.routing';
import { RegistryClient, RegistryClientError } from '@vigil/registry-client';
import { type ActiveModels, type PrepareVersion, RunnerLease, type Slot, type VersionAddons, type VersionState, buildReport, nextActive } from './served-models';
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
  /** The addons already prepared for `initial`. */
  readonly initialAddons?: VersionAddons;
  /** Builds each loaded version's addons (explainer, drift monitor) before it can go live. */
  readonly prepare?: PrepareVersion;
  /** Artifacts by sha256, so a restart or a rollback does not download again. */
  readonly cacheDir?: string;
  readonly reportIntervalMs?: number;
  readonly logger?: HotSwapLogger;
  /** The deployment's home network for context features (default: each manifest's). */
  readonly homeNet?: readonly string[];
  /** false: serve `initial` only, never follow the registry nor report to it (no registry deployed). */
  readonly follow?: boolean;
}

export type { RunOutput };

/** A micro-batch answered per flow: production's rows and the canary's, and shadow beside them. */
export interface FlowsResult {
  readonly parts: readonly ServedPart[];
  /** Shadow's answer on every row: recorded and published aside, never acted on. */
  readonly shadow?: { readonly model: ModelRef; readonly manifest: ServedPart['manifest']; readonly output: RunOutput; readonly agreed: number };
}

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
    this.loader = new RegistryVersionLoader({ client: this.registry, expect: opts.expect ?? {}, cacheDir: opts.cacheDir, homeNet: opts.homeNet });
    this.logger = opts.logger ?? silent;
    if (opts.initial) {
      const lease = new RunnerLease(opts.initial, opts.initialAddons);
      this.loaded.set(opts.initial.ref.version, lease);
      this.states.set(opts.initial.ref.version, { state: 'loaded', batches: 0 });
      this.active = { production: { version: opts.initial.ref.version, lease } };
    }
  }

  static start(opts: HotSwapClientOptions): ModelHotSwapClient {
    const client = new ModelHotSwapClient(opts);
    if (opts.follow === false) return client;
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

  /** Routes the whole batch by its id (one version answers every row). */
  async run(args: { batchId: string; features: Float32Array; count: number; envelopes?: readonly FlowEnvelope[] }): Promise<HotSwapResult> {
    const active = this.serving();
    const canary = active.canary !== undefined && routesToCanary(args.batchId, active.canary.share);
    const main = canary && active.canary ? active.canary : (active.production as Slot);
    const result = await this.runParts([{ slot: main, role: canary ? 'canary' : 'production', rows: null }], args);
    const { output } = result.parts[0];
    const shadow = result.shadow && { model: result.shadow.model, output: result.shadow.output, agreed: result.shadow.agreed };
    return { model: result.parts[0].model, role: result.parts[0].role, output, ...(shadow ? { shadow } : {}) };
  }

  /** Routes each row by its flow id: the canary's share of flows to the canary, the rest to production. */
  runFlows(flows: FlowRows): Promise<FlowsResult> {
    const active = this.serving();
    const production = active.production as Slot;
    if (active.canary === undefined || active.canary.share <= 0) return this.runParts([{ slot: production, role: 'production', rows: null }], flows);
    const toCanary = canaryRows(flows.flowIds, flows.count, active.canary.share);
    if (toCanary.length === 0) return this.runParts([{ slot: production, role: 'production', rows: null }], flows);
    if (toCanary.length === flows.count) return this.runParts([{ slot: active.canary, role: 'canary', rows: null }], flows);
    return this.runParts([{ slot: production, role: 'production', rows: otherRows(toCanary, flows.count) }, { slot: active.canary, role: 'canary', rows: toCanary }], flows);
  }

  private serving(): ActiveModels {
    const active = this.active;
    if (active.production === undefined) throw new RegistryClientError('REGISTRY_CLIENT.NO_MODEL', `no version of ${this.opts.model} is serving yet`);
    return active;
  }

  private async runParts(plan: { slot: Slot; role: ServedPart['role']; rows: Int32Array | null }[], flows: Pick<FlowRows, 'features' | 'count' | 'envelopes'> & { flowIds?: readonly string[] }): Promise<FlowsResult> {
    const shadow = this.active.shadow;
    const slots = [...plan.map((p) => p.slot), ...(shadow ? [shadow] : [])];
    for (const slot of slots) slot.lease.acquire();
    try {
      const runs = plan.map((p) => runSlot(p.slot, p.rows === null ? flows : pickRows({ flowIds: flows.flowIds ?? [], ...flows }, p.rows)));
      const shadowRun = shadow ? runSlot(shadow, flows).catch((err: unknown) => this.shadowFailed(shadow, err)) : undefined;
      const outputs = await Promise.all(runs);
      const parts: ServedPart[] = plan.map((p, i) => ({
        role: p.role, model: { name: this.opts.model, version: p.slot.version }, manifest: p.slot.lease.runner.manifest, rows: p.rows, output: outputs[i], addons: p.slot.lease.addons,
      }));
      for (const p of plan) this.count(p.slot.version);
      const shadowOutput = await shadowRun;
      if (!shadow || !shadowOutput) return { parts };
      const manifest = shadow.lease.runner.manifest;
      const agreed = agreementOf(parts, { manifest, output: shadowOutput });
      this.recordAgreement(shadow.version, flows.count, agreed);
      return { parts, shadow: { model: { name: this.opts.model, version: shadow.version }, manifest, output: shadowOutput, agreed } };
    } finally {
      await Promise.all(slots.map((slot) => slot.lease.releaseUse()));
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
      let addons: VersionAddons = {};
      try {
        addons = (await this.opts.prepare?.(runner)) ?? {};
      } catch (err) {
        await runner.release();
        throw err;
      }
      this.loaded.set(version, new RunnerLease(runner, addons));
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
