import { type INestApplication } from '@nestjs/common';
import { type Decision } from '@vigil/contracts';
import { type ThreatEvidence } from '@vigil/remediation';
import { DataSource } from 'typeorm';
import { DecisionLifecycleService } from '../decisions/decision-lifecycle.service';
import { ThreatDecisionService } from '../decisions/threat-decision.service';
import { realAttackRows, startHarness, type Harness } from '../testing/self-healing.fixture';
import { EvidenceRepository } from './evidence.repository';

// SSH-Patator's shipped policy: ban at confidence >= 0.85 after 5 threats from the source within 5 minutes.
describe('durable evidence (real Postgres)', () => {
  let rows: { flowId: string; srcIp: string }[];
  let h: Harness | undefined;

  beforeAll(async () => {
    rows = await realAttackRows('SSH-Patator');
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const threats = (from: number, n: number): ThreatEvidence[] =>
    rows.slice(from, from + n).map((r) => ({ contract: 'cicflowmeter', flowId: r.flowId, srcIp: r.srcIp, attackClass: 'SSH-Patator', probability: 0.97, modelVersion: 'd@1+c@2' }));
  const handle = (app: INestApplication, batch: ThreatEvidence[]) => app.get(ThreatDecisionService).handleThreats(batch);
  const decisionsOn = async (harness: Harness) => harness.ask<Decision[]>('listDecisions', { value: rows[0]!.srcIp });
  const storedEvidence = async (app: INestApplication): Promise<number> => {
    const [row] = (await app.get(DataSource).query('SELECT count(*)::int AS n FROM "evidence"')) as { n: number }[];
    return row!.n;
  };

  it('counts a redelivered threat batch once', async () => {
    h = await startHarness();
    expect(new Set(rows.slice(0, 5).map((r) => r.srcIp)).size).toBe(1);
    await handle(h.app, threats(0, 3));
    await handle(h.app, threats(0, 3));
    await handle(h.app, threats(0, 3));
    expect(await storedEvidence(h.app)).toBe(3);
    expect(await decisionsOn(h)).toEqual([]);
    await handle(h.app, threats(3, 2));
    expect(await decisionsOn(h)).toMatchObject([{ action: 'ban', reason: { evidenceCount: 5 } }]);
  });

  it('lets two instances sharing the database reach the threshold together', async () => {
    h = await startHarness();
    const other = await h.replica();
    await handle(h.app, threats(0, 3));
    await handle(other, threats(3, 1));
    expect(await decisionsOn(h)).toEqual([]);
    await handle(other, threats(4, 1));
    expect(await decisionsOn(h)).toMatchObject([{ action: 'ban', reason: { evidenceCount: 5 } }]);
  });

  it('keeps the count across a restart, forgets evidence outside the window and prunes it', async () => {
    h = await startHarness();
    await handle(h.app, threats(0, 3));
    await h.restart();
    await handle(h.app, threats(3, 2));
    expect(await decisionsOn(h)).toHaveLength(1);

    h.clock.advance(6 * 60_000); // past the 5-minute window: four fresh threats are not enough
    const fresh = threats(5, 4);
    await handle(h.app, fresh);
    const [decision] = await decisionsOn(h);
    expect(decision!.flowIds).not.toContain(fresh[3]!.flowId);

    h.clock.advance(60 * 60_000); // past the longest window of any policy
    const { pruned } = await h.app.get(DecisionLifecycleService).sweep();
    expect(pruned).toBe(9);
    expect(await storedEvidence(h.app)).toBe(0);
  });

  it('records thousands of threats per second in batches', async () => {
    h = await startHarness();
    const repo = h.app.get(EvidenceRepository);
    const batches = 40;
    const size = 500;
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      const seenAt = h.clock.now();
      await repo.record(Array.from({ length: size }, (_, i) => ({
        flowId: `bench-${b}-${i}`, source: `198.51.100.${i % 200}`, policyKey: 'cicflowmeter/DoS', contract: 'cicflowmeter',
        attackClass: 'DoS Hulk', confidence: 0.99, seenAt,
      })));
    }
    const perSecond = (batches * size) / ((performance.now() - started) / 1000);
    expect(perSecond).toBeGreaterThan(5_000);
  });
});
