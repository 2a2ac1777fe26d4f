import { expectServiceLifecycle } from '@vigil/testing';

describe('gateway process', () => {
  it('becomes ready against real NATS and Postgres, serves health and metrics, and stops cleanly on SIGTERM', () =>
    expectServiceLifecycle({ app: 'gateway' }));
});
