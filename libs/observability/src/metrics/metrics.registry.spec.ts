import { Metrics } from './metrics.registry';

describe('Metrics', () => {
  it('renders declared and default metrics labelled with service and instance', async () => {
    const metrics = new Metrics({ service: 'ingestion', instance: 'i-1' });
    metrics.counter({ name: 'vigil_rows_total', help: 'rows read', labelNames: ['contract'] }).inc({ contract: 'nsl-kdd' }, 5);
    metrics.histogram({ name: 'vigil_batch_seconds', help: 'batch time', buckets: [0.1, 1] }).observe(0.05);
    const text = await metrics.render();
    expect(text).toContain('vigil_rows_total{contract="nsl-kdd",service="ingestion",instance="i-1"} 5');
    expect(text).toContain('vigil_batch_seconds_bucket{le="0.1",service="ingestion",instance="i-1"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('returns the same metric when it is declared twice', () => {
    const metrics = new Metrics({ service: 's', instance: 'i', defaultMetrics: false });
    const first = metrics.counter({ name: 'vigil_x_total', help: 'x' });
    expect(metrics.counter({ name: 'vigil_x_total', help: 'x' })).toBe(first);
  });
});
