import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

/**
 * The process's Prometheus registry: default process metrics plus whatever the service
 * declares, every series labelled with service and instance. Declaring a metric twice
 * returns the first one, so modules can declare what they use without coordinating.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(options: { service: string; instance: string; defaultMetrics?: boolean }) {
    this.registry.setDefaultLabels({ service: options.service, instance: options.instance });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string = string>(spec: MetricSpec<L>): Counter<L> {
    return this.existing<Counter<L>>(spec.name) ?? new Counter<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [this.registry] });
  }

  gauge<L extends string = string>(spec: MetricSpec<L>): Gauge<L> {
    return this.existing<Gauge<L>>(spec.name) ?? new Gauge<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [this.registry] });
  }

  histogram<L extends string = string>(spec: MetricSpec<L> & { buckets?: number[] }): Histogram<L> {
    return (
      this.existing<Histogram<L>>(spec.name) ??
      new Histogram<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [this.registry] })
    );
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
