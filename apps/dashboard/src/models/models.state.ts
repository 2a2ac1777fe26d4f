import { type ModelRollout, type ModelVersionInfo, type RolloutStatus } from '../api/api.types';
import { heatColor } from '../charts/chart.scale';

export interface ClassMetrics { label: string; precision: number | null; recall: number | null; f1: number | null; support: number | null }
export interface VersionMetrics { accuracy: number | null; macroF1: number | null; perClass: ClassMetrics[]; labels: string[]; confusion: number[][] | null }

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The held-out metrics of a version's manifest (validation.metrics), tolerant of missing parts. */
export function versionMetrics(info: Pick<ModelVersionInfo, 'manifest'>): VersionMetrics {
  const validation = (info.manifest.validation ?? {}) as { metrics?: Record<string, unknown> };
  const m = validation.metrics ?? {};
  const labels = Array.isArray(m.classLabels) ? (m.classLabels as string[]) : Array.isArray(info.manifest.classLabels) ? (info.manifest.classLabels as string[]) : [];
  const perClassRaw = (m.perClass ?? {}) as Record<string, Record<string, unknown>>;
  const perClass = Object.entries(perClassRaw).map(([label, c]) => ({ label, precision: num(c.precision), recall: num(c.recall), f1: num(c.f1), support: num(c.support) }));
  const confusion = Array.isArray(m.confusion) && (m.confusion as unknown[]).every((r) => Array.isArray(r)) ? (m.confusion as number[][]) : null;
  return { accuracy: num(m.accuracy), macroF1: num(m.macroF1), perClass, labels, confusion };
}

export interface HeatCell { count: number; ratio: number; fill: string; text: string }

/** Confusion matrix cells coloured by their share of the true class (row), so rare classes show. */
export function confusionCells(matrix: readonly (readonly number[])[]): HeatCell[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count) => {
      const ratio = total === 0 ? 0 : count / total;
      return { count, ratio, ...heatColor(ratio) };
    });
  });
}

export interface AliasProgress { alias: 'production' | 'canary' | 'shadow'; target: number | null; onTarget: number; replicas: number; complete: boolean; canaryShare: number | null }

/** Per alias: how many replicas serve its target version, and whether the rollout is complete. */
export function aliasProgress(rollout: ModelRollout | undefined): AliasProgress[] {
  if (!rollout) return [];
  return (['production', 'canary', 'shadow'] as const).flatMap((alias) => {
    const a = rollout.aliases[alias];
    if (!a || a.target === undefined) return [];
    return [{ alias, target: a.target, onTarget: a.onTarget, replicas: rollout.replicas, complete: rollout.replicas > 0 && a.onTarget === rollout.replicas, canaryShare: a.canaryShare ?? null }];
  });
}

/** A canary share typed in the form: 0–100 %, or null when it is not one. */
export function parseCanaryShare(text: string): number | null {
  const n = Number(text.trim().replace(/%$/, ''));
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
}

/** The manifest JSON of an upload, checked for the fields the registry needs before any byte is sent. */
export function readManifest(text: string): { manifest: Record<string, unknown> } | { error: string } {
  try {
    const manifest = JSON.parse(text) as Record<string, unknown>;
    const missing = ['name', 'task', 'contract', 'features', 'classLabels'].filter((k) => manifest[k] === undefined);
    return missing.length > 0 ? { error: `the manifest lacks ${missing.join(', ')}` } : { manifest };
  } catch (err) {
    return { error: `the manifest is not JSON: ${(err as Error).message}` };
  }
}

/** Per-model rollout answers as one view: every replica once (its latest report), every model once. */
export function mergeRollouts(parts: readonly RolloutStatus[]): RolloutStatus {
  const replicas = new Map<string, RolloutStatus['replicas'][number]>();
  for (const part of parts) for (const r of part.replicas) if ((replicas.get(r.replica)?.lastSeen ?? '') <= r.lastSeen) replicas.set(r.replica, r);
  const models = new Map<string, ModelRollout>();
  for (const part of parts) for (const m of part.models) models.set(m.name, m);
  const at = parts.reduce((latest, p) => (p.at > latest ? p.at : latest), '');
  return { at, replicas: [...replicas.values()].sort((a, b) => a.replica.localeCompare(b.replica)), models: [...models.values()] };
}
