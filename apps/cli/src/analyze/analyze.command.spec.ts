import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { CONTRACT_SAMPLES, type ContractId, type Policy, contractSamplePath, readFlowFile } from '@vigil/contracts';
import { OnnxModelSession, loadShippedModel, shippedModelName } from '@vigil/inference';
import { createModelInput, decide } from '@vigil/ml';
import { PolicySet, defaultPolicies } from '@vigil/remediation';
import { type CliIo } from '../command/cli-command';
import { runCli } from '../command/cli-runner';
import { commands } from '../commands';
import { repoRoot } from '../train/repo.paths';
import { loadManifest } from '../evaluate/evaluate.service';
import { type ReportedDecision } from './analyze.decisions';
import { RESULT_COLUMNS } from './analyze.results';
import { bestAttackClass } from './analyze.service';

const ROOT = repoRoot(__dirname);
let tmp: string;
beforeAll(() => (tmp = mkdtempSync(path.join(tmpdir(), 'vigil-analyze-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk: Buffer, _enc, cb) { (w as unknown as { text: string }).text += chunk.toString(); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

async function vigil(argv: string[], env: NodeJS.ProcessEnv = { VIGIL_ANALYZE_IN_PROCESS: '1' }): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const io: CliIo = { stdout, stderr, cwd: ROOT, env };
  const code = await runCli({ argv, commands, io });
  return { code, out: stdout.text, err: stderr.text };
}

const sample = (name: string): string => path.relative(ROOT, contractSamplePath(name));

function readResults(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

interface Offline { label: string[]; cls: (string | undefined)[]; evaluateLabel: string[] }

/** The same file through ModelRunner (the pipeline stages' code) and through evaluate's own path (session + gather + decide). */
async function offline(file: string, contract: ContractId): Promise<Offline> {
  const modelsDir = path.join(ROOT, 'models');
  const det = await loadShippedModel({ modelsDir, name: shippedModelName('detect', contract) });
  const cls = await loadShippedModel({ modelsDir, name: shippedModelName('classify', contract) });
  const manifest = loadManifest(path.join(modelsDir, shippedModelName('detect', contract), '1'));
  const session = await OnnxModelSession.create({ model: new Uint8Array(readFileSync(path.join(modelsDir, manifest.name, '1', 'model.onnx'))), classLabels: manifest.classLabels });
  const input = createModelInput({ contract: det.contract, features: manifest.features, homeNet: manifest.homeNet });
  const out: Offline = { label: [], cls: [], evaluateLabel: [] };
  for await (const b of readFlowFile(file, { batchSize: 100 })) {
    const d = await det.run(b.features, b.count, b.envelopes);
    const decisions = Uint8Array.from(d.decisions as Uint8Array);
    for (let r = 0; r < b.count; r++) out.label.push(det.classLabels[d.labels[r]]);
    const ev = await session.run(input.gather({ features: b.features, count: b.count, envelopes: b.envelopes }), b.count);
    const rule = { task: 'detect' as const, nClasses: 2, positiveClass: manifest.positiveClass, threshold: manifest.threshold };
    decide(rule, ev.probabilities, b.count).forEach((k) => out.evaluateLabel.push(manifest.classLabels[k]));
    for (let r = 0; r < b.count; r++) {
      if (decisions[r] !== 1) {
        out.cls.push(undefined);
        continue;
      }
      const w = b.contract.features.length;
      const c = await cls.run(b.features.slice(r * w, (r + 1) * w), 1, [b.envelopes[r]]);
      out.cls.push(cls.classLabels[bestAttackClass(c, 0, cls.manifest.normalClass).index]);
    }
  }
  await Promise.all([det.release(), cls.release(), session.release()]);
  return out;
}

describe('vigil analyze', () => {
  it.each([
    [CONTRACT_SAMPLES.nslKdd, 'nsl-kdd'], [CONTRACT_SAMPLES.improved, 'cicflowmeter'], [CONTRACT_SAMPLES.mlcve, 'cicflowmeter'],
    [CONTRACT_SAMPLES.westernoc2, 'cicflowmeter'], [CONTRACT_SAMPLES.cse2018, 'cicflowmeter'],
  ] as const)('agrees row for row with the offline ModelRunner and evaluate on %s', async (name, contract) => {
    const out = path.join(tmp, `${name}.csv`);
    const r = await vigil(['analyze', sample(name), '--out', out, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = readResults(out);
    const expected = await offline(contractSamplePath(name), contract);
    expect(rows.map((x) => x.label)).toEqual(expected.label);
    expect(rows.map((x) => x.label)).toEqual(expected.evaluateLabel);
    expect(rows.map((x) => x.class || undefined)).toEqual(expected.cls);
    const report = JSON.parse(r.out) as { rows: number; threats: number };
    expect(report.rows).toBe(rows.length);
    expect(report.threats).toBe(expected.cls.filter((c) => c !== undefined).length);
  });

  it('prints a stable JSON report (keys and types pinned; docs/analyze.md documents them)', async () => {
    const r = await vigil(['analyze', sample(CONTRACT_SAMPLES.improved), '--json', '--drift']);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    const shape = Object.fromEntries(Object.entries(j).map(([k, v]) => [k, Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v]));
    expect(shape).toEqual({
      version: 'number', files: 'array', models: 'object', rows: 'number', threats: 'number', benign: 'number', threatsByClass: 'array',
      topSources: 'array', threatsWithoutSource: 'number', decisions: 'object', errors: 'object', examples: 'array', drift: 'object',
      seconds: 'number', rowsPerSecond: 'number',
    });
    const typed = j as unknown as { threatsByClass: { class: string; count: number; share: number }[]; topSources: { srcIp: string; threats: number }[]; examples: { explanation: { attack: { top: { feature: string; value: number; contribution: number }[] } } }[] };
    expect(Object.keys(typed.threatsByClass[0])).toEqual(['class', 'count', 'share']);
    expect(typed.threatsByClass.reduce((s, t) => s + t.count, 0)).toBe(j.threats);
    expect(Object.keys(typed.topSources[0])).toEqual(['srcIp', 'threats', 'classes']);
    expect(Object.keys(typed.examples[0])).toEqual(['file', 'row', 'flowId', 'srcIp', 'dstIp', 'attackClass', 'probability', 'detectorProbability', 'explanation']);
    expect(typed.examples[0].explanation.attack.top).toHaveLength(3);
    expect(Object.keys(j.drift as object)).toEqual(['threat-detector-cicflowmeter']);
    const decisions = j.decisions as { decisions: Record<string, unknown>[] };
    expect(Object.keys(decisions)).toEqual(['available', 'simulation', 'policies', 'allowlist', 'time', 'total', 'byAction', 'allowlistedDecisions', 'untrackedThreats', 'decisions']);
    expect(Object.keys(decisions.decisions[0])).toEqual([
      'scope', 'value', 'action', 'status', 'requiresApproval', 'durationSeconds', 'escalationLevel', 'createdAt', 'expiresAt', 'extensions', 'reason',
    ]);
  });

  describe('decision simulation (the self-healing engine from @vigil/remediation)', () => {
    type Sim = { decisions: { time: string; policies: string; total: number; allowlistedDecisions: number; byAction: Record<string, number>; decisions: ReportedDecision[] } };
    const policies = new PolicySet(defaultPolicies());

    /** Per source, the threats of results.csv that count as evidence for each resolved policy. */
    function evidence(rows: Record<string, string>[]): Map<string, Map<Policy, number>> {
      const out = new Map<string, Map<Policy, number>>();
      for (const r of rows.filter((x) => x.class !== '' && x.src_ip !== '')) {
        const policy = policies.resolve('cicflowmeter', r.class);
        if (!policy || Number(r.class_probability) < policy.minConfidence) continue;
        const bySource = out.get(r.src_ip) ?? new Map<Policy, number>();
        bySource.set(policy, (bySource.get(policy) ?? 0) + 1);
        out.set(r.src_ip, bySource);
      }
      return out;
    }

    it('takes one simulated decision per source that reaches a policy threshold, with the policy\'s action and duration', async () => {
      const out = path.join(tmp, 'decisions.csv');
      const r = await vigil(['analyze', sample(CONTRACT_SAMPLES.improved), '--json', '--out', out]);
      const { decisions } = JSON.parse(r.out) as Sim;
      expect(decisions).toMatchObject({ time: 'flow timestamps', policies: 'shipped defaults', allowlistedDecisions: 0 });
      const rows = readResults(out);
      const counts = evidence(rows);
      const reaching = [...counts].filter(([, byPolicy]) => [...byPolicy].some(([p, n]) => n >= p.evidenceCount)).map(([src]) => src);
      expect(reaching.length).toBeGreaterThan(2);
      // Some sources of threats stay below every threshold (or confidence): no decision for them.
      expect(reaching.length).toBeLessThan(new Set(rows.filter((x) => x.class !== '').map((x) => x.src_ip)).size);
      expect(decisions.decisions.map((d) => d.value).sort()).toEqual(reaching.sort());
      for (const d of decisions.decisions) {
        const policy = policies.resolve('cicflowmeter', d.reason.attackClass);
        expect(policy).toBeDefined();
        expect(d).toMatchObject({ scope: 'ip', action: policy?.action, status: 'simulated', durationSeconds: policy?.durationSeconds, requiresApproval: policy?.requiresApproval });
        expect(d.reason.evidenceCount).toBe(policy?.evidenceCount);
        expect(d.reason.modelVersion).toBe('threat-detector-cicflowmeter@1+attack-classifier-cicflowmeter@1');
      }
      expect(decisions.decisions.find((d) => d.value === '172.16.0.1')).toMatchObject({ action: 'ban', durationSeconds: 3600, extensions: expect.any(Number) });
      expect(decisions.total).toBe(decisions.decisions.length);
      expect((await vigil(['analyze', sample(CONTRACT_SAMPLES.improved)])).out).toMatch(/decisions it would take .*\n {2}ban ip \S+ for 1 h \[simulated/);
    });

    it('acts on nothing allowlisted, applies --policies over the defaults and carries explanations into the reason', async () => {
      const allow = JSON.parse((await vigil(['analyze', sample(CONTRACT_SAMPLES.improved), '--json', '--allowlist', '192.168.10.0/24'])).out) as Sim;
      const inside = allow.decisions.decisions.filter((d) => d.value.startsWith('192.168.10.'));
      expect(inside.length).toBeGreaterThan(0);
      for (const d of inside) expect(d).toMatchObject({ action: 'alert', reason: { note: expect.stringContaining('allowlisted') } });
      expect(allow.decisions.allowlistedDecisions).toBe(inside.length);
      expect(allow.decisions.decisions.find((d) => d.value === '172.16.0.1')).toMatchObject({ action: 'ban' });

      const file = path.join(tmp, 'policies.yaml');
      writeFileSync(file, 'policies:\n  - {contract: cicflowmeter, attackClass: Bot, evidenceCount: 1, durationSeconds: 120, maxDurationSeconds: 120, requiresApproval: false}\n');
      const custom = JSON.parse((await vigil(['analyze', sample(CONTRACT_SAMPLES.improved), '--json', '--policies', file, '--explain', 'saabas'])).out) as Sim;
      const bots = custom.decisions.decisions.filter((d) => d.reason.attackClass === 'Bot');
      expect(bots.length).toBeGreaterThan(0);
      for (const d of bots) expect(d).toMatchObject({ action: 'ban', durationSeconds: 120, requiresApproval: false, reason: { evidenceCount: 1 } });
      expect(custom.decisions.decisions[0].reason.topFeatures).toHaveLength(3);

      writeFileSync(file, 'policies:\n  - {contract: cicflowmeter, attackClass: Bot, minConfidence: 7}\n');
      const bad = await vigil(['analyze', sample(CONTRACT_SAMPLES.improved), '--policies', file]);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('REMEDIATION.POLICY_FILE_INVALID');
      expect((await vigil(['analyze', sample(CONTRACT_SAMPLES.improved), '--allowlist', '10.0.0.0/33'])).code).toBe(2);
    });
  });

  it('gives the same report with the parse worker as on the main thread, and writes every column', async () => {
    const out = path.join(tmp, 'worker.csv');
    const a = await vigil(['analyze', sample(CONTRACT_SAMPLES.nslKdd), '--json', '--out', out, '--explain', 'saabas'], {});
    const b = await vigil(['analyze', sample(CONTRACT_SAMPLES.nslKdd), '--json']);
    const strip = (s: string): unknown => ({ ...(JSON.parse(s) as object), seconds: 0, rowsPerSecond: 0 });
    expect(strip(a.out)).toEqual(strip(b.out));
    const rows = readResults(out);
    expect(Object.keys(rows[0])).toEqual([...RESULT_COLUMNS]);
    const threat = rows.find((x) => x.class !== '');
    expect(threat?.top_features.split(';')).toHaveLength(3);
  });

  it('reports drift of DoS-only traffic against the detector: the alert fires, the DoS-shaped features lead', async () => {
    const lines = gunzipSync(readFileSync(contractSamplePath(CONTRACT_SAMPLES.nslKdd))).toString('utf8').trimEnd().split('\n');
    const dos = lines.filter((l) => /,(neptune|smurf|back|teardrop|pod|land),/.test(l));
    expect(dos.length).toBeGreaterThan(50);
    const file = path.join(tmp, 'dos-only.txt');
    writeFileSync(file, `${dos.join('\n')}\n`);
    type Drift = { drift: Record<string, { rows: number; overall: number; bound: number; alert: boolean; top: { feature: string; psi: number }[] }> };
    const shifted = JSON.parse((await vigil(['analyze', file, '--json', '--drift'])).out) as Drift;
    const d = shifted.drift['threat-detector-nsl-kdd'];
    expect(d.rows).toBe(dos.length);
    expect(d.bound).toBe(0.2);
    expect(d.alert).toBe(true);
    expect(d.top[0].psi).toBeGreaterThan(1);
  });

  it('prints a human report and names usage mistakes', async () => {
    const r = await vigil(['analyze', sample(CONTRACT_SAMPLES.improved)]);
    expect(r.out).toMatch(/293 rows in .* threats/);
    expect(r.out).toContain('threats by class:');
    expect(r.out).toContain('top sources:');
    expect((await vigil(['analyze'])).code).toBe(2);
    expect((await vigil(['analyze', 'x.csv', '--explain', 'lime'])).code).toBe(2);
  });
});
