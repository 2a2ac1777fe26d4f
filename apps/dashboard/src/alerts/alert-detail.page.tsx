import { API } from '../api/api.routes';
import { type Alert, type Decision, type DecisionPage, type ExplanationTerm } from '../api/api.types';
import { useLoad } from '../app/app.context';
import { routeHref } from '../app/app.router';
import { Badge, ErrorBox, Loading, Panel } from '../app/ui.component';
import { formatPercent, formatTime } from '../format/format';

export function AlertDetailPage({ id }: { id: string }) {
  const alert = useLoad(({ api }) => api.get<Alert>(API.alert(id)), [id]);
  return (
    <div class="page">
      <p><a href={routeHref('alerts')}>← All alerts</a></p>
      <h1>Alert {id.slice(0, 12)}…</h1>
      <ErrorBox message={alert.error} />
      {!alert.data ? (alert.error ? null : <Loading what="the alert" />) : <AlertDetail alert={alert.data} />}
    </div>
  );
}

function AlertDetail({ alert: a }: { alert: Alert }) {
  const flow: [string, string][] = [
    ['Time (UTC)', formatTime(a.at)], ['Contract', a.contract], ['Sensor', a.sensor],
    ['Source', `${a.sourceIp ?? '—'}${a.sourcePort !== null ? `:${a.sourcePort}` : ''}`],
    ['Destination', `${a.destinationIp ?? '—'}${a.destinationPort !== null ? `:${a.destinationPort}` : ''}`],
    ['Protocol', a.protocol ?? '—'], ['Upload job', a.jobId ?? '—'], ['Ingested', formatTime(a.ingestedAt)], ['Detected', formatTime(a.detectedAt)],
  ];
  const envelope = Object.entries(a.envelope).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object');
  return (
    <div class="grid-2">
      <Panel title="Flow">
        <dl class="kv">{flow.map(([k, v]) => <Row key={k} name={k} value={v} />)}</dl>
      </Panel>
      <Panel title="Model outputs">
        <table class="table" data-testid="model-outputs">
          <thead><tr><th scope="col">Stage</th><th scope="col">Model</th><th scope="col">Version</th><th scope="col">Answer</th><th scope="col" class="num">Probability</th></tr></thead>
          <tbody>
            <tr><td>Detection</td><td>{a.detector.name}</td><td>v{a.detector.version}</td><td>attack</td><td class="num">{formatPercent(a.detector.probability)}</td></tr>
            <tr><td>Classification</td><td>{a.classifier.name}</td><td>v{a.classifier.version}</td><td><strong>{a.attackClass}</strong></td><td class="num">{formatPercent(a.classifier.probability)}</td></tr>
          </tbody>
        </table>
        <h3>Most likely classes</h3>
        <ol class="bars">
          {a.top.map((t) => <li key={t.class}><span class="bar-label">{t.class}</span><span class="bar" style={{ width: `${Math.round(t.probability * 100)}%` }} /><span class="num">{formatPercent(t.probability)}</span></li>)}
        </ol>
      </Panel>
      <Panel title="Features">
        <FeatureList alert={a} envelope={envelope} />
      </Panel>
      <DecisionFor alert={a} />
    </div>
  );
}

function FeatureList({ alert: a, envelope }: { alert: Alert; envelope: [string, unknown][] }) {
  const explanation = a.explanation;
  return (
    <>
      {explanation ? (
        <>
          <h3>Top contributing features ({explanation.method}, {explanation.target})</h3>
          <table class="table" data-testid="explanation">
            <thead><tr><th scope="col">Feature</th><th scope="col" class="num">Value</th><th scope="col" class="num">Contribution</th></tr></thead>
            <tbody>{explanation.top.map((t) => <tr key={t.feature}><td>{t.feature}</td><td class="num">{termValue(a, t)}</td><td class="num">{t.contribution >= 0 ? '+' : ''}{t.contribution.toFixed(3)}</td></tr>)}</tbody>
          </table>
        </>
      ) : <p class="muted">No explanation was recorded for this threat.</p>}
      <h3>Feature values</h3>
      {a.features ? (
        <dl class="kv kv-scroll" data-testid="features">{Object.entries(a.features).map(([k, v]) => <Row key={k} name={k} value={v === null ? '—' : String(v)} />)}</dl>
      ) : <p class="muted">The flow's feature values are no longer stored (past the alert retention) or its detection result was not recorded.</p>}
      <h3>Flow record</h3>
      <dl class="kv" data-testid="envelope">{envelope.map(([k, v]) => <Row key={k} name={k} value={String(v)} />)}</dl>
    </>
  );
}

/** A categorical term's value as its word (the explanation carries the model's code), else the number. */
function termValue(a: Alert, t: ExplanationTerm): string {
  const stored = a.features?.[t.feature];
  if (typeof stored === 'string') return stored;
  return t.value === null ? '—' : String(t.value);
}

function DecisionFor({ alert: a }: { alert: Alert }) {
  const decisions = useLoad(({ api }) => (a.sourceIp ? api.get<DecisionPage>(API.decisions, { value: a.sourceIp, limit: 20 }).then((page) => page.items) : Promise.resolve([] as Decision[])), [a.id]);
  const linked = (decisions.data ?? []).filter((d) => d.alertIds.includes(a.id) || d.flowIds.includes(a.id));
  const shown = linked.length > 0 ? linked : (decisions.data ?? []);
  return (
    <Panel title="Decision">
      <ErrorBox message={decisions.error} />
      {!a.sourceIp ? <p class="muted">The flow has no source address: it can raise an alert but never a ban.</p> : shown.length === 0 ? (
        decisions.data ? <p class="muted">No decision was taken on {a.sourceIp}.</p> : null
      ) : (
        <ul class="plain">
          {shown.map((d) => (
            <li key={d.id}>
              <a href={routeHref('decisions', d.id)}>{d.action} {d.value}</a> <Badge tone={d.status === 'active' ? 'bad' : 'muted'}>{d.status}</Badge>
              <span class="muted"> {linked.includes(d) ? 'from this alert' : 'on the same source'}, expires {formatTime(d.expiresAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function Row({ name, value }: { name: string; value: string }) {
  return <><dt>{name}</dt><dd>{value}</dd></>;
}
