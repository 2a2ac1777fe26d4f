import { useEffect, useState } from 'preact/hooks';
import { type ApiClient } from '../api/api.client';
import { API } from '../api/api.routes';
import { describeError } from '../api/api.errors';
import { type ModelSummary, type ModelVersionInfo, type RolloutStatus } from '../api/api.types';
import { useApp, useLive, useLoad } from '../app/app.context';
import { Badge, ConfirmDialog, ErrorBox, Loading, Panel } from '../app/ui.component';
import { can } from '../auth/role.gate';
import { ConfusionHeatMap } from '../charts/heat-map.component';
import { formatBytes, formatPercent, formatTime } from '../format/format';
import { ModelUploadForm } from './model-upload.component';
import { aliasProgress, mergeRollouts, parseCanaryShare, versionMetrics } from './models.state';

type Move = { name: string; alias: 'production' | 'canary' | 'shadow'; version: number | null; canaryShare?: number } | { name: string; alias: 'production' | 'canary' | 'shadow'; rollback: true };

export function ModelsPage() {
  const models = useLoad(({ api }) => api.get<ModelSummary[]>(API.models), []);
  const names = (models.data ?? []).map((m) => m.name).join(',');
  const rollout = useLoad(({ api }) => rolloutOf(api, names === '' ? [] : names.split(',')), [names]);
  useLive('models', () => {
    models.reload();
    rollout.reload();
  });
  // Replicas report every few seconds: poll while the page is open so a rollout shows its progress.
  useEffect(() => {
    const timer = setInterval(rollout.reload, 2_000);
    return () => clearInterval(timer);
  }, [rollout.reload]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div class="page">
      <h1>Models</h1>
      <ErrorBox message={models.error} />
      {!models.data ? (models.error ? null : <Loading what="models" />) : models.data.map((m) => (
        <ModelCard key={m.name} model={m} rollout={rollout.data} expanded={open === m.name} onToggle={() => setOpen(open === m.name ? null : m.name)} onMoved={() => { models.reload(); rollout.reload(); }} />
      ))}
      <RolloutPanel status={rollout.data} error={rollout.error} />
      <ModelUploadForm onUploaded={models.reload} />
    </div>
  );
}

/** The gateway answers rollout per model; the page shows them as one fleet view. */
async function rolloutOf(api: ApiClient, names: readonly string[]): Promise<RolloutStatus> {
  const parts = await Promise.all(names.map((name) => api.get<RolloutStatus>(API.rollout(name))));
  return mergeRollouts(parts);
}

function ModelCard({ model, rollout, expanded, onToggle, onMoved }: { model: ModelSummary; rollout: RolloutStatus | null; expanded: boolean; onToggle(): void; onMoved(): void }) {
  const progress = aliasProgress(rollout?.models.find((r) => r.name === model.name));
  const contract = typeof model.contract === 'string' ? model.contract : model.contract.id;
  return (
    <Panel title={model.name} id={`model-${model.name}`} actions={
      <button type="button" class="btn" aria-expanded={expanded} aria-controls={`versions-${model.name}`} onClick={onToggle}>{expanded ? 'Hide versions' : `Versions (${model.versions})`}</button>
    }>
      <p class="muted">{model.task} · {contract} · latest v{model.latestVersion}</p>
      <ul class="alias-list" aria-label="Aliases and rollout">
        {progress.length === 0 ? <li class="muted">No aliases yet.</li> : progress.map((p) => (
          <li key={p.alias} data-testid={`rollout-${model.name}-${p.alias}`}>
            <strong>{p.alias}</strong> → v{p.target}{p.canaryShare !== null ? ` (${p.canaryShare}% of flows)` : ''}{' '}
            {p.replicas === 0 ? <Badge tone="muted">no replica reporting</Badge>
              : <Badge tone={p.complete ? 'ok' : 'warn'}>{p.complete ? `serving on ${p.onTarget}/${p.replicas} replicas` : `rolling out: ${p.onTarget}/${p.replicas} replicas`}</Badge>}
          </li>
        ))}
      </ul>
      {expanded ? <VersionList key={model.latestVersion} name={model.name} onMoved={onMoved} /> : null}
    </Panel>
  );
}

function VersionList({ name, onMoved }: { name: string; onMoved(): void }) {
  const { api, who, announce } = useApp();
  const versions = useLoad(({ api: a }) => a.get<ModelVersionInfo[]>(API.modelVersions(name)), [name]);
  const [selected, setSelected] = useState<number | null>(null);
  const [move, setMove] = useState<Move | null>(null);
  const [share, setShare] = useState('10');
  const [error, setError] = useState<string | null>(null);
  const admin = can(who.role, 'manageModels');
  const run = async () => {
    if (!move) return;
    setMove(null);
    try {
      if ('rollback' in move) await api.post(API.modelRollback(move.name, move.alias), { reason: 'dashboard rollback' });
      else await api.put(API.modelAlias(move.name, move.alias), { version: move.version, canaryShare: move.canaryShare, reason: 'dashboard' });
      announce('rollback' in move ? `${move.alias} of ${move.name} rolled back.` : `${move.alias} of ${move.name} now points at ${move.version === null ? 'nothing' : `v${move.version}`}.`);
      setError(null);
      versions.reload();
      onMoved();
    } catch (err) {
      setError(describeError(err));
    }
  };
  if (!versions.data) return versions.error ? <ErrorBox message={versions.error} /> : <Loading what="versions" />;
  const shown = versions.data.find((v) => v.version === selected) ?? versions.data[0];
  return (
    <div id={`versions-${name}`}>
      <ErrorBox message={error} />
      <table class="table" data-testid={`versions-${name}`}>
        <thead><tr><th scope="col">Version</th><th scope="col">Aliases</th><th scope="col" class="num">Accuracy</th><th scope="col" class="num">Macro F1</th><th scope="col">Size</th><th scope="col">Created (UTC)</th><th scope="col"><span class="visually-hidden">Commands</span></th></tr></thead>
        <tbody>
          {versions.data.map((v) => {
            const m = versionMetrics(v);
            return (
              <tr key={v.version} class={shown?.version === v.version ? 'row-selected' : undefined}>
                <td><button type="button" class="link" onClick={() => setSelected(v.version)} aria-pressed={shown?.version === v.version}>v{v.version}</button></td>
                <td>{v.aliases.map((a) => <Badge key={a} tone={a === 'production' ? 'ok' : 'info'}>{a}</Badge>)}</td>
                <td class="num">{formatPercent(m.accuracy, 2)}</td>
                <td class="num">{formatPercent(m.macroF1, 2)}</td>
                <td>{formatBytes(v.sizeBytes)}</td>
                <td>{formatTime(v.createdAt)} <span class="muted">{v.createdBy}</span></td>
                <td class="row-actions">
                  {admin && !v.aliases.includes('production') ? <button type="button" class="btn btn-small btn-primary" onClick={() => setMove({ name, alias: 'production', version: v.version })} aria-label={`Promote v${v.version} to production`}>Promote</button> : null}
                  {admin && !v.aliases.includes('canary') ? <button type="button" class="btn btn-small" onClick={() => setMove({ name, alias: 'canary', version: v.version, canaryShare: parseCanaryShare(share) ?? 10 })} aria-label={`Canary v${v.version}`}>Canary</button> : null}
                  {admin && !v.aliases.includes('shadow') ? <button type="button" class="btn btn-small" onClick={() => setMove({ name, alias: 'shadow', version: v.version })} aria-label={`Shadow v${v.version}`}>Shadow</button> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {admin ? (
        <div class="form form-inline">
          <label class="field"><span>Canary share (%)</span><input name="canaryShare" inputMode="decimal" value={share} onInput={(e) => setShare((e.target as HTMLInputElement).value)} aria-invalid={parseCanaryShare(share) === null ? 'true' : undefined} /></label>
          <button type="button" class="btn" onClick={() => setMove({ name, alias: 'production', rollback: true })}>Roll back production</button>
          <button type="button" class="btn" onClick={() => setMove({ name, alias: 'canary', version: null })}>Clear canary</button>
          <button type="button" class="btn" onClick={() => setMove({ name, alias: 'shadow', version: null })}>Clear shadow</button>
        </div>
      ) : null}
      {shown ? <VersionMetrics info={shown} /> : null}
      <ConfirmDialog open={move !== null} title="Move the alias?" confirmLabel="Move" onConfirm={() => void run()} onCancel={() => setMove(null)}>
        {move ? <p>{'rollback' in move ? `Roll ${move.alias} of ${move.name} back to its previous version.` : `Point ${move.alias} of ${move.name} at ${move.version === null ? 'nothing' : `v${move.version}`}${move.canaryShare !== undefined ? ` for ${move.canaryShare}% of flows` : ''}. Every replica loads it, then switches.`}</p> : null}
      </ConfirmDialog>
    </div>
  );
}

function VersionMetrics({ info }: { info: ModelVersionInfo }) {
  const m = versionMetrics(info);
  if (m.perClass.length === 0 && !m.confusion) return <p class="muted">v{info.version} carries no held-out metrics in its manifest.</p>;
  return (
    <div class="grid-2">
      <div class="table-scroll">
        <table class="table table-compact" data-testid="per-class">
          <caption>v{info.version}: held-out metrics per class</caption>
          <thead><tr><th scope="col">Class</th><th scope="col" class="num">Precision</th><th scope="col" class="num">Recall</th><th scope="col" class="num">F1</th><th scope="col" class="num">Support</th></tr></thead>
          <tbody>{m.perClass.map((c) => <tr key={c.label}><td>{c.label}</td><td class="num">{formatPercent(c.precision, 2)}</td><td class="num">{formatPercent(c.recall, 2)}</td><td class="num">{formatPercent(c.f1, 2)}</td><td class="num">{c.support ?? '—'}</td></tr>)}</tbody>
        </table>
      </div>
      {m.confusion ? <ConfusionHeatMap labels={m.labels} matrix={m.confusion} caption={`v${info.version}: confusion matrix`} /> : <p class="muted">No confusion matrix in this version's manifest.</p>}
    </div>
  );
}

function RolloutPanel({ status, error }: { status: RolloutStatus | null; error: string | null }) {
  return (
    <Panel title="Rollout per replica">
      <ErrorBox message={error} />
      {!status ? null : status.replicas.length === 0 ? <p class="muted">No inference replica has reported yet.</p> : (
        <table class="table table-compact" data-testid="replicas">
          <thead><tr><th scope="col">Replica</th><th scope="col">Service</th><th scope="col">Models held</th><th scope="col">Last report (UTC)</th></tr></thead>
          <tbody>
            {status.replicas.map((r) => (
              <tr key={r.replica}>
                <td>{r.replica}</td><td>{r.service}</td>
                <td>{r.models.map((m) => (
                  <span key={`${m.name}@${m.version}`} class="replica-model">{m.name} v{m.version} <Badge tone={m.state === 'serving' ? 'ok' : m.state === 'failed' ? 'bad' : 'warn'}>{m.state}{m.aliases.length > 0 ? `: ${m.aliases.join(', ')}` : ''}</Badge>
                    {m.agreement && m.agreement.rows > 0 ? <span class="muted"> shadow agreement {formatPercent(m.agreement.agreed / m.agreement.rows)}</span> : null}{m.reason ? <span class="field-error"> {m.reason}</span> : null}</span>
                ))}</td>
                <td>{formatTime(r.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status?.models.filter((m) => m.shadowAgreement).map((m) => <p key={m.name}>{m.name}: shadow agrees with production on {formatPercent(m.shadowAgreement?.rate)} of {m.shadowAgreement?.rows} rows.</p>)}
    </Panel>
  );
}
