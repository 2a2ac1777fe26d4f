import { useState } from 'preact/hooks';
import { API } from '../api/api.routes';
import { type Alert, type AlertPage } from '../api/api.types';
import { useLive, useLoad } from '../app/app.context';
import { routeHref } from '../app/app.router';
import { ErrorBox, Loading, Panel } from '../app/ui.component';
import { formatPercent, formatTime } from '../format/format';
import { type AlertFilters, type PageCursor, alertsQuery, filtersFromParams, nextPage, previousPage, validateFilters } from './alerts.filters';

const FIELDS: readonly { name: keyof AlertFilters; label: string; placeholder?: string }[] = [
  { name: 'class', label: 'Attack class', placeholder: 'e.g. neptune' },
  { name: 'sourceIp', label: 'Source IP' },
  { name: 'minConfidence', label: 'Min. confidence', placeholder: '0–1' },
  { name: 'sinceMinutes', label: 'Last N minutes' },
  { name: 'jobId', label: 'Upload job id' },
];

export function AlertsPage({ params }: { params: Record<string, string> }) {
  const [draft, setDraft] = useState<AlertFilters>(() => filtersFromParams(params));
  const [applied, setApplied] = useState<AlertFilters>(draft);
  const [cursor, setCursor] = useState<PageCursor>({ current: null, previous: [] });
  const [fresh, setFresh] = useState(0);
  const problems = validateFilters(draft);
  const page = useLoad(({ api }) => api.get<AlertPage>(API.alerts, alertsQuery(applied, { now: Date.now(), cursor: cursor.current })), [applied, cursor]);
  useLive('alerts', () => setFresh((n) => n + 1));

  const apply = (e: Event) => {
    e.preventDefault();
    if (Object.keys(problems).length > 0) return;
    setApplied(draft);
    setCursor({ current: null, previous: [] });
    setFresh(0);
  };
  const refresh = () => {
    setFresh(0);
    if (cursor.current === null) page.reload();
    else setCursor({ current: null, previous: [] });
  };

  return (
    <div class="page">
      <h1>Alerts</h1>
      <form class="filters" onSubmit={apply} aria-label="Filter alerts">
        {FIELDS.map((f) => (
          <label key={f.name} class="field">
            <span>{f.label}</span>
            <input name={f.name} value={draft[f.name]} placeholder={f.placeholder} aria-invalid={problems[f.name] ? 'true' : undefined}
              onInput={(e) => setDraft({ ...draft, [f.name]: (e.target as HTMLInputElement).value })} />
            {problems[f.name] ? <span class="field-error">{problems[f.name]}</span> : null}
          </label>
        ))}
        <label class="field">
          <span>Contract</span>
          <select name="contract" value={draft.contract} onChange={(e) => setDraft({ ...draft, contract: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            <option value="nsl-kdd">nsl-kdd</option>
            <option value="cicflowmeter">cicflowmeter</option>
          </select>
        </label>
        <button type="submit" class="btn btn-primary">Apply</button>
      </form>
      <Panel title="Alerts, newest first" actions={
        <button type="button" class="btn" onClick={refresh} aria-live="polite">{fresh > 0 ? `Show ${fresh} new` : 'Refresh'}</button>
      }>
        <ErrorBox message={page.error} />
        {!page.data ? <Loading what="alerts" /> : <AlertTable items={page.data.items} />}
        <nav class="pager" aria-label="Pages">
          <button type="button" class="btn" disabled={cursor.previous.length === 0} onClick={() => setCursor(previousPage(cursor))}>Previous</button>
          <button type="button" class="btn" disabled={!page.data?.nextCursor} onClick={() => page.data?.nextCursor && setCursor(nextPage(cursor, page.data.nextCursor))}>Next</button>
        </nav>
      </Panel>
    </div>
  );
}

function AlertTable({ items }: { items: readonly Alert[] }) {
  if (items.length === 0) return <p class="muted">No alerts match.</p>;
  return (
    <div class="table-scroll">
      <table class="table" data-testid="alerts-table">
        <thead>
          <tr><th scope="col">Time (UTC)</th><th scope="col">Class</th><th scope="col" class="num">Confidence</th><th scope="col">Source</th><th scope="col">Destination</th><th scope="col">Contract</th><th scope="col">Models</th></tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td><a href={routeHref('alerts', a.id)}>{formatTime(a.at)}</a></td>
              <td>{a.attackClass}</td>
              <td class="num">{formatPercent(a.confidence)}</td>
              <td>{a.sourceIp ?? '—'}{a.sourcePort !== null ? `:${a.sourcePort}` : ''}</td>
              <td>{a.destinationIp ?? '—'}{a.destinationPort !== null ? `:${a.destinationPort}` : ''}</td>
              <td>{a.contract}</td>
              <td class="muted">{a.detector.name}@{a.detector.version}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
