import { useState } from 'preact/hooks';
import { API } from '../api/api.routes';
import { describeError } from '../api/api.errors';
import { type Decision, type DecisionPage } from '../api/api.types';
import { useApp, useLive, useLoad } from '../app/app.context';
import { routeHref } from '../app/app.router';
import { Badge, ConfirmDialog, ErrorBox, Loading, Panel } from '../app/ui.component';
import { can } from '../auth/role.gate';
import { formatDuration, formatTime } from '../format/format';
import { SimulationBanner } from '../overview/overview.page';
import { AllowlistEditor, ManualDecisionForm, SimulationSwitch } from './decision-forms.component';
import { type DecisionCommand, type DecisionTab, DECISION_TABS, decisionCommands, decisionOfEvent } from './decisions.state';

export function DecisionsPage({ id, params }: { id: string | null; params: Record<string, string> }) {
  const { who } = useApp();
  const [tab, setTab] = useState<DecisionTab>((params.tab as DecisionTab) ?? 'active');
  const statuses = DECISION_TABS.find((t) => t.tab === tab)?.statuses ?? [];
  const list = useLoad(({ api }) => api.get<DecisionPage>(API.decisions, { status: statuses, limit: 200 }), [tab]);
  useLive('decisions', (data) => decisionOfEvent(data) && list.reload());
  return (
    <div class="page">
      <SimulationBanner />
      <h1>Decisions</h1>
      {id ? <DecisionAudit id={id} /> : null}
      <div class="tabs" role="tablist" aria-label="Decision status">
        {DECISION_TABS.map((t) => (
          <button key={t.tab} type="button" role="tab" id={`tab-${t.tab}`} aria-selected={tab === t.tab} aria-controls="decisions-panel" class={tab === t.tab ? 'tab tab-on' : 'tab'}
            onClick={() => setTab(t.tab)} onKeyDown={(e) => moveTab(e, tab, setTab)}>{t.label}</button>
        ))}
      </div>
      <div id="decisions-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <ErrorBox message={list.error} />
        {!list.data ? (list.error ? null : <Loading what="decisions" />) : <DecisionTable items={list.data.items} onChanged={list.reload} />}
      </div>
      <div class="grid-2">
        {can(who.role, 'manageDecisions') ? <ManualDecisionForm onCreated={list.reload} /> : null}
        <Panel title="Safety">
          <SimulationSwitch />
          <AllowlistEditor />
        </Panel>
      </div>
    </div>
  );
}

/** Arrow keys move between tabs (the WAI-ARIA tabs pattern). */
function moveTab(e: KeyboardEvent, current: DecisionTab, set: (t: DecisionTab) => void): void {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  const i = DECISION_TABS.findIndex((t) => t.tab === current);
  const next = DECISION_TABS[(i + (e.key === 'ArrowRight' ? 1 : DECISION_TABS.length - 1)) % DECISION_TABS.length].tab;
  set(next);
  document.getElementById(`tab-${next}`)?.focus();
}

function DecisionTable({ items, onChanged }: { items: readonly Decision[]; onChanged(): void }) {
  const { api, who, announce } = useApp();
  const [pending, setPending] = useState<{ decision: Decision; command: DecisionCommand } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!pending) return;
    const { decision, command } = pending;
    setPending(null);
    try {
      await api.post(API.decisionAction(decision.id, command), { reason: `dashboard: ${command}` });
      announce(`Decision on ${decision.value} ${command === 'approve' ? 'approved' : command === 'reject' ? 'rejected' : 'revoked'}.`);
      setError(null);
      onChanged();
    } catch (err) {
      setError(describeError(err));
    }
  };
  if (items.length === 0) return <p class="muted">No decisions here.</p>;
  return (
    <>
      <ErrorBox message={error} />
      <div class="table-scroll">
        <table class="table" data-testid="decisions-table">
          <thead><tr><th scope="col">Target</th><th scope="col">Action</th><th scope="col">Status</th><th scope="col">Origin</th><th scope="col">Reason</th><th scope="col">Duration</th><th scope="col">Expires (UTC)</th><th scope="col"><span class="visually-hidden">Commands</span></th></tr></thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td><a href={routeHref('decisions', d.id)}>{d.value}</a></td>
                <td>{d.action}</td>
                <td><Badge tone={d.status === 'active' ? 'bad' : d.status === 'failed' ? 'warn' : d.status === 'pending-approval' ? 'info' : 'muted'}>{d.status}</Badge></td>
                <td>{d.origin}</td>
                <td>{d.reason.attackClass}{d.origin === 'auto' ? ` (${Math.round(d.reason.confidence * 100)}%)` : ''}{d.reason.note ? ` — ${d.reason.note}` : ''}</td>
                <td>{formatDuration(d.durationSeconds)}</td>
                <td>{formatTime(d.expiresAt)}</td>
                <td class="row-actions">
                  {decisionCommands(d, who.role).map((c) => (
                    <button key={c} type="button" class={c === 'approve' ? 'btn btn-small btn-primary' : 'btn btn-small btn-danger'} onClick={() => setPending({ decision: d, command: c })}
                      aria-label={`${c} decision on ${d.value}`}>{c[0].toUpperCase() + c.slice(1)}</button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog open={pending !== null} title={pending ? `${pending.command[0].toUpperCase()}${pending.command.slice(1)} this decision?` : ''} confirmLabel={pending ? pending.command[0].toUpperCase() + pending.command.slice(1) : 'OK'}
        danger={pending?.command !== 'approve'} onConfirm={() => void run()} onCancel={() => setPending(null)}>
        {pending ? <p>{pending.decision.action} on <strong>{pending.decision.value}</strong> ({pending.decision.status}).</p> : null}
      </ConfirmDialog>
    </>
  );
}

function DecisionAudit({ id }: { id: string }) {
  const detail = useLoad(({ api }) => api.get<{ decision: Decision; audit: { at: string; fromStatus: string | null; toStatus: string; actor: string; reason: string }[] }>(API.decision(id)), [id]);
  return (
    <Panel title="Decision history" actions={<a href={routeHref('decisions')}>Close</a>}>
      <ErrorBox message={detail.error} />
      {detail.data ? (
        <>
          <p><strong>{detail.data.decision.action} {detail.data.decision.value}</strong> — {detail.data.decision.status}, model {detail.data.decision.reason.modelVersion ?? '—'}</p>
          <ol class="plain">
            {detail.data.audit.map((a, i) => <li key={i}>{formatTime(a.at)}: {a.fromStatus ?? 'new'} → {a.toStatus} by {a.actor}{a.reason ? ` (${a.reason})` : ''}</li>)}
          </ol>
        </>
      ) : null}
    </Panel>
  );
}
