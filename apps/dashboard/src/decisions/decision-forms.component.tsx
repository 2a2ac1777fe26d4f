import { useState } from 'preact/hooks';
import { API } from '../api/api.routes';
import { describeError } from '../api/api.errors';
import { type AllowlistEntry, type Decision, type SimulationState } from '../api/api.types';
import { useApp, useLoad } from '../app/app.context';
import { Badge, ConfirmDialog, ErrorBox, Panel } from '../app/ui.component';
import { can } from '../auth/role.gate';
import { parseDuration } from '../format/format';
import { type ManualBanForm, looksLikeNetwork } from './decisions.state';

export function ManualDecisionForm({ onCreated }: { onCreated(): void }) {
  const { api, announce } = useApp();
  const [form, setForm] = useState<ManualBanForm>({ value: '', action: 'ban', duration: '1h', reason: '' });
  const [error, setError] = useState<string | null>(null);
  const seconds = parseDuration(form.duration);
  const valid = looksLikeNetwork(form.value) && seconds !== null;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!valid) return setError('Enter an IP address or CIDR and a duration such as 30m, 1h or 2d.');
    try {
      const d = await api.post<Decision>(API.decisions, { value: form.value.trim(), action: form.action, durationSeconds: seconds, origin: 'manual', reason: form.reason });
      announce(`${d.action} on ${d.value} created (${d.status}).`);
      setError(null);
      setForm({ ...form, value: '', reason: '' });
      onCreated();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const set = (k: keyof ManualBanForm) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  return (
    <Panel title="Manual decision">
      <form class="form" onSubmit={(e) => void submit(e)}>
        <label class="field"><span>IP address or CIDR</span><input name="value" required value={form.value} onInput={set('value')} placeholder="203.0.113.9" /></label>
        <label class="field"><span>Action</span>
          <select name="action" value={form.action} onChange={set('action')}><option value="ban">ban</option><option value="throttle">throttle</option><option value="alert">alert only</option></select>
        </label>
        <label class="field"><span>Duration</span><input name="duration" value={form.duration} onInput={set('duration')} aria-invalid={seconds === null ? 'true' : undefined} /></label>
        <label class="field field-wide"><span>Reason</span><input name="reason" value={form.reason} onInput={set('reason')} maxLength={1000} /></label>
        <button type="submit" class="btn btn-danger">Create</button>
      </form>
      <ErrorBox message={error} />
    </Panel>
  );
}

export function SimulationSwitch() {
  const { api, who, announce } = useApp();
  const sim = useLoad(({ api: a }) => a.get<SimulationState>(API.simulation), []);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const enabled = sim.data?.enabled ?? false;
  const flip = async () => {
    setConfirming(false);
    try {
      await api.put(API.simulation, { enabled: !enabled, reason: 'dashboard' });
      announce(`Simulation mode ${enabled ? 'off: decisions are enforced' : 'on: nothing is enforced'}.`);
      sim.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <div class="safety-row">
      <p>Simulation mode: <Badge tone={enabled ? 'warn' : 'ok'}>{sim.data ? (enabled ? 'on' : 'off') : '…'}</Badge>
        {sim.data?.updatedBy ? <span class="muted"> set by {sim.data.updatedBy}</span> : null}</p>
      {can(who.role, 'switchSimulation') && sim.data ? (
        <button type="button" class="btn" onClick={() => setConfirming(true)}>{enabled ? 'Turn simulation off' : 'Turn simulation on'}</button>
      ) : null}
      <ErrorBox message={error ?? sim.error} />
      <ConfirmDialog open={confirming} title={enabled ? 'Start enforcing decisions?' : 'Stop enforcing decisions?'} confirmLabel={enabled ? 'Enforce' : 'Simulate'} danger
        onConfirm={() => void flip()} onCancel={() => setConfirming(false)}>
        <p>{enabled ? 'Active decisions will be applied by the executors (firewall, bouncers, Kubernetes).' : 'New decisions will be recorded as simulated and nothing new will be enforced.'}</p>
      </ConfirmDialog>
    </div>
  );
}

export function AllowlistEditor() {
  const { api, who, announce } = useApp();
  const list = useLoad(({ api: a }) => a.get<AllowlistEntry[]>(API.allowlist), []);
  const [cidr, setCidr] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const editable = can(who.role, 'editAllowlist');
  const change = async (run: () => Promise<unknown>, message: string) => {
    try {
      await run();
      announce(message);
      setError(null);
      list.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <div>
      <h3>Allowlist</h3>
      <ErrorBox message={error ?? list.error} />
      <ul class="plain allowlist">
        {(list.data ?? []).map((e) => (
          <li key={`${e.source}:${e.cidr}`}>
            <code>{e.cidr}</code> <Badge tone="muted">{e.source ?? 'stored'}</Badge> {e.note ? <span class="muted">{e.note}</span> : null}
            {editable && e.source === 'stored' ? (
              <button type="button" class="btn btn-small" aria-label={`Remove ${e.cidr} from the allowlist`}
                onClick={() => void change(() => api.delete(`${API.allowlist}?cidr=${encodeURIComponent(e.cidr)}`), `${e.cidr} removed from the allowlist.`)}>Remove</button>
            ) : null}
          </li>
        ))}
      </ul>
      {editable ? (
        <form class="form form-inline" onSubmit={(e) => {
          e.preventDefault();
          if (!looksLikeNetwork(cidr)) return setError('Enter an IP address or CIDR.');
          void change(() => api.post(API.allowlist, { cidr: cidr.trim(), note }), `${cidr} allowlisted; open decisions it covers were revoked.`).then(() => { setCidr(''); setNote(''); });
        }}>
          <label class="field"><span>CIDR</span><input name="cidr" value={cidr} onInput={(e) => setCidr((e.target as HTMLInputElement).value)} /></label>
          <label class="field"><span>Note</span><input name="note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} /></label>
          <button type="submit" class="btn">Allowlist</button>
        </form>
      ) : null}
    </div>
  );
}
