// Live drift of every model version a replica serves: one DriftMonitor per version (its
// reference = the manifest's referenceHistograms), fed with the model-input block the runner
// builds for each call (binning is the only added per-flow work), a sliding window of time
// slots. Every `reportMs` the PSI gauges are refreshed and a version whose overall PSI reaches
// the bound publishes one drift alert event (again only after it fell below and rose again).
// Each replica answers `<stage>.drift.<model>` for itself; a caller wanting every replica's
// view collects several replies (no queue group).
import { type DriftAlertEvent, type DriftReply, type PipelineTopology, type VersionDrift } from '@vigil/contracts';
import { DriftMonitor } from '@vigil/ml';
import { type NatsClient, type ReplyServer, serveRequests } from '@vigil/messaging';
import { type Metrics } from '@vigil/observability';
import { type ModelRunner } from '../model-runner';
import { type VersionAddons } from '../model-registry-client/served-models';
import { type DriftSettings } from './stage.config';
import { type StageModelsLogger } from './stage.models';

/** Per-feature gauges for every feature up to this many; above it only the most drifting ones. */
const ALL_FEATURES_BELOW = 100;
const TOP_FEATURES = 10;
const EVENT_FEATURES = 10;

interface Watched {
  readonly name: string;
  readonly version: number;
  readonly monitor: DriftMonitor;
  alerting: boolean;
  gauged: Set<string>;
}

export interface StageDriftDeps {
  readonly stage: string;
  readonly replica: string;
  readonly settings: DriftSettings;
  readonly topology: PipelineTopology;
  readonly nats: NatsClient;
  readonly metrics: Metrics;
  readonly logger: StageModelsLogger;
  readonly now?: () => number;
}

export class StageDrift {
  private readonly watched = new Set<Watched>();
  private readonly overall;
  private readonly rows;
  private readonly feature;
  private timer: NodeJS.Timeout | undefined;
  private server: ReplyServer | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StageDriftDeps) {
    const labelNames = ['stage', 'model', 'version'] as const;
    this.overall = deps.metrics.gauge({ name: 'vigil_drift_psi', help: 'Overall PSI (mean over features) of a served model version over the drift window', labelNames: [...labelNames] });
    this.rows = deps.metrics.gauge({ name: 'vigil_drift_window_rows', help: 'Rows inside the drift window of a served model version', labelNames: [...labelNames] });
    this.feature = deps.metrics.gauge({
      name: 'vigil_drift_feature_psi', help: `PSI per feature (every feature of models with fewer than ${ALL_FEATURES_BELOW}, else the ${TOP_FEATURES} most drifting)`,
      labelNames: [...labelNames, 'feature'],
    });
  }

  /** Starts answering drift requests and the periodic report; subscribes before returning. */
  async start(): Promise<void> {
    const { topology, stage, nats, logger } = this.deps;
    // Every model's subject at once (a model this replica does not serve is answered with no versions).
    const one = topology.subjects.drift(stage, '_');
    this.server = serveRequests(nats.connection, { subject: `${one.slice(0, -1)}*`, handler: async (_payload, ctx) => this.reply(ctx.subject), logger });
    await nats.connection.flush();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick());
    }, this.deps.settings.reportMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.server?.stop();
    await this.ticking;
  }

  /** A version's monitor, wired to its runner's model input; undefined addons when its manifest has no reference. */
  watch(runner: ModelRunner): VersionAddons {
    const reference = runner.manifest.referenceHistograms;
    if (reference.length === 0 || reference.length !== runner.input.width) {
      this.deps.logger.warn({ model: runner.ref, histograms: reference.length, features: runner.input.width }, 'no usable reference histograms in the manifest: drift not watched for this version');
      return {};
    }
    const { slots, slotMs, bound } = this.deps.settings;
    const monitor = new DriftMonitor({ reference, window: { slots, slotMs }, bound, now: this.deps.now ?? Date.now });
    const watched: Watched = { name: runner.ref.name, version: runner.ref.version, monitor, alerting: false, gauged: new Set() };
    this.watched.add(watched);
    runner.observeInput((X, count) => monitor.observe(X, count));
    return {
      dispose: () => {
        runner.observeInput(undefined);
        this.watched.delete(watched);
        const labels = this.labels(watched);
        this.overall.remove(labels);
        this.rows.remove(labels);
        for (const feature of watched.gauged) this.feature.remove({ ...labels, feature });
      },
    };
  }

  /** Refreshes the gauges and publishes alerts that just fired. */
  async tick(): Promise<void> {
    for (const w of [...this.watched]) {
      const drift = this.driftOf(w);
      this.gauge(w, drift);
      const fired = drift.alert && !w.alerting;
      w.alerting = drift.alert;
      if (fired) await this.publishAlert(w, drift);
    }
  }

  private reply(subject: string): DriftReply {
    const model = subject.slice(subject.lastIndexOf('.') + 1);
    const { slots, slotMs } = this.deps.settings;
    const versions = [...this.watched].filter((w) => w.name === model).map((w) => this.driftOf(w));
    return { replica: this.deps.replica, stage: this.deps.stage, at: new Date().toISOString(), window: { slots, slotMs }, versions };
  }

  private driftOf(w: Watched): VersionDrift {
    const r = w.monitor.report();
    return { model: { name: w.name, version: w.version }, rows: r.rows, overall: r.overall, bound: r.bound, alert: r.alert, features: r.features.map((f) => ({ feature: f.feature, psi: f.psi })) };
  }

  private labels(w: Watched): { stage: string; model: string; version: string } {
    return { stage: this.deps.stage, model: w.name, version: String(w.version) };
  }

  private gauge(w: Watched, drift: VersionDrift): void {
    const labels = this.labels(w);
    this.overall.set(labels, drift.overall);
    this.rows.set(labels, drift.rows);
    const shown = w.monitor.featureCount < ALL_FEATURES_BELOW ? drift.features : drift.features.slice(0, TOP_FEATURES);
    const now = new Set(shown.map((f) => f.feature));
    for (const feature of w.gauged) if (!now.has(feature)) this.feature.remove({ ...labels, feature });
    for (const f of shown) this.feature.set({ ...labels, feature: f.feature }, f.psi);
    w.gauged = now;
  }

  private async publishAlert(w: Watched, drift: VersionDrift): Promise<void> {
    const { topology, stage, replica, nats, logger } = this.deps;
    const at = new Date().toISOString();
    const event: DriftAlertEvent = { v: 1, kind: 'drift', replica, stage, at, drift: { ...drift, features: drift.features.slice(0, EVENT_FEATURES) } };
    try {
      await nats.jetstream.publish(topology.subjects.driftAlert(w.name), JSON.stringify(event), { msgID: `drift:${replica}:${w.name}:${w.version}:${at}` });
      logger.warn({ model: drift.model, overall: drift.overall, bound: drift.bound, top: event.drift.features.slice(0, 3) }, 'drift alert: live inputs moved away from the training reference');
    } catch (err) {
      // Not alerting yet: the next tick tries again while the drift lasts.
      w.alerting = false;
      logger.error({ err, model: drift.model }, 'drift alert not stored');
    }
  }
}
