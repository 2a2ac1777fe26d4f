import { PolicySimulation, decisionsText, formatDuration, type SimulatedThreat } from './analyze.decisions';

// SSH-Patator's shipped policy: ban at >= 0.85 after 5 threats from the source in 5 minutes, for 1 h.
const threat = (over: Partial<SimulatedThreat> = {}): SimulatedThreat => ({
  contract: 'cicflowmeter', flowId: null, srcIp: '203.0.113.9', attackClass: 'SSH-Patator', probability: 0.99, modelVersion: 'd@1+c@1', ...over,
});

describe('PolicySimulation', () => {
  it('without timestamps takes the threats in row order at one instant and reports no times', async () => {
    const sim = await PolicySimulation.open({});
    for (let i = 0; i < 5; i++) sim.observe(threat());
    const s = sim.summary();
    expect(s).toMatchObject({ time: 'row order', total: 1, byAction: { ban: 1 }, allowlist: ['127.0.0.0/8', '::1'] });
    expect(s.decisions[0]).toMatchObject({ value: '203.0.113.9', createdAt: null, expiresAt: null, durationSeconds: 3600, status: 'simulated' });
  });

  it('uses flow timestamps for the windows: threats 2 minutes apart never reach 5 in 5 minutes', async () => {
    const sim = await PolicySimulation.open({});
    for (let i = 0; i < 10; i++) sim.observe(threat({ timestamp: new Date(Date.UTC(2017, 6, 4, 17, 2 * i)).toISOString() }));
    expect(sim.summary()).toMatchObject({ time: 'flow timestamps', total: 0 });
  });

  it('prints what it would do for people', async () => {
    const sim = await PolicySimulation.open({ allowlist: ['198.51.100.0/24'] });
    for (let i = 0; i < 5; i++) sim.observe(threat({ topFeatures: [{ name: 'Flow Duration', weight: 0.25 }] }));
    for (let i = 0; i < 5; i++) sim.observe(threat({ srcIp: '198.51.100.4' }));
    const text = decisionsText(sim.summary()).join('\n');
    expect(text).toContain('decisions it would take (simulation; shipped defaults; time from row order): 2 (ban 1, alert 1)');
    expect(text).toContain('ban ip 203.0.113.9 for 1 h [simulated] (SSH-Patator p=0.990, 5 flows; top: Flow Duration +0.250)');
    expect(text).toContain('alert-only because the source is allowlisted: 1');
    expect([900, 3600, 86_400, 129_600, 45].map(formatDuration)).toEqual(['15 min', '1 h', '1 d', '1 d 12 h', '45 s']);
  });
});
