import { type Decision } from '@vigil/contracts';
import { Metrics } from '@vigil/observability';
import { DecisionLifecycleService } from '../decisions/decision-lifecycle.service';
import { ThreatDecisionService } from '../decisions/threat-decision.service';
import { SafetyStateService } from '../safety/safety-state.service';
import { realAttackRows, startHarness, type Harness } from '../testing/self-healing.fixture';

describe('self-healing metrics on /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const series = async (name: string, labels: string): Promise<number | undefined> => {
    const text = await h.app.get(Metrics).render();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((kv) => l.includes(kv)));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  it('counts evidence (recorded, duplicate, ignored), executor failures, ceiling trips and decisions by status and action', async () => {
    const rows = (await realAttackRows('SSH-Patator')).slice(0, 5);
    const threats = rows.map((r) => ({ contract: 'cicflowmeter' as const, flowId: r.flowId, srcIp: r.srcIp, attackClass: 'SSH-Patator', probability: 0.97 }));
    const service = h.app.get(ThreatDecisionService);
    await service.handleThreats(threats.slice(0, 3));
    await service.handleThreats(threats.slice(0, 3));
    await service.handleThreats([...threats.slice(3), { ...threats[0]!, flowId: 'low', probability: 0.2 }]);
    expect(await series('vigil_self_healing_evidence_total', 'outcome="recorded"')).toBe(5);
    expect(await series('vigil_self_healing_evidence_total', 'outcome="duplicate"')).toBe(3);
    expect(await series('vigil_self_healing_evidence_total', 'outcome="ignored"')).toBe(1);

    await h.ask('setSimulation', { enabled: false, actor: 'test', reason: 'enforce' });
    h.executor.failNext = 'nft: no such table';
    const failed = await h.ask<Decision>('createDecision', { scope: 'ip', value: '203.0.113.90', action: 'ban', durationSeconds: 600, actor: 'test', reason: 'metrics' });
    expect(failed.status).toBe('failed');
    expect(await series('vigil_self_healing_executor_failures_total', 'executor="recording",operation="apply"')).toBe(1);

    await h.app.get(SafetyStateService).tripCeiling({ value: 'test' });
    expect(await series('vigil_self_healing_ceiling_trips_total', 'service="self-healing"')).toBe(1);

    await h.app.get(DecisionLifecycleService).sweep(); // retries the failed one (now active) and refreshes the gauge
    expect(await series('vigil_self_healing_decisions', 'status="active",action="ban"')).toBe(1);
    expect(await series('vigil_self_healing_decisions', 'status="simulated",action="ban"')).toBe(1);
    expect(await series('vigil_self_healing_decision_changes_total', 'status="failed",action="ban"')).toBe(1);
  });
});
