import { expectServiceLifecycle } from '@vigil/testing';

describe('self-healing process', () => {
  it('becomes ready against real NATS and Postgres, serves health and metrics, and stops cleanly on SIGTERM', () =>
    expectServiceLifecycle({ app: 'self-healing' }));
});
