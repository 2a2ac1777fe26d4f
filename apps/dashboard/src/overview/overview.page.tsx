import { useEffect, useMemo, useState } from 'preact/hooks';
import { API } from '../api/api.routes';
import { type Alert, type AlertPage, type DecisionPage, type ServicesHealth, type SimulationState, type Stats } from '../api/api.types';
import { useLive, useLoad, useTick } from '../app/app.context';
import { routeHref } from '../app/app.router';
import { Badge, ErrorBox, Loading, Panel, Stat } from '../app/ui.component';
import { TimeChart } from '../charts/time-chart.component';
import { formatCount, formatPercent, formatRate, formatRelative } from '../format/format';
import { classSeries, currentRate, perSecond, shiftTimeline, timelineFromStats, topSources, withLiveAlerts } from './overview.state';

const REFRESH_MS = 15_000;

export function OverviewPage() {
  const now = useTick(5_000);
  const stats = useLoad(({ api }) => api.get<Stats>(API.stats, { windowMinutes: 60 }), []);
  const recent = useLoad(({ api }) => api.get<AlertPage>(API.alerts, { from: new Date(Date.now() - 3_600_000).toISOString(), limit: 1000 }), []);
  const [live, setLive] = useState<Alert[]>([]);
  useLive('alerts', (data) => setLive((l) => [data as Alert, ...l].slice(0, 5000)));
  useEffect(() => {
    const timer = setInterval(() => {
      stats.reload();
      recent.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [stats.reload, recent.reload]);

  // Live alerts newer than the last stats answer are added on top of it until the next refresh.
  const timeline = useMemo(() => {
    if (!stats.data) return null;
    const since = stats.data.to;
    return shiftTimeline(withLiveAlerts(timelineFromStats(stats.data, { now }), live.filter((a) => a.at > since)), now);
  }, [stats.data, live, now]);
  const sources = useMemo(() => {
    const known = new Set((recent.data?.items ?? []).map((a) => a.id));
    return topSources([...live.filter((a) => !known.has(a.id)), ...(recent.data?.items ?? [])]);
  }, [recent.data, live]);

  return (
    <div class="page">
      <SimulationBanner />
      <h1>Overview</h1>
      <ErrorBox message={stats.error} />
      {!timeline ? <Loading what="statistics" /> : (
        <>
          <div class="stats-row" aria-live="polite">
            <Stat label="flows/s now" value={formatRate(currentRate(timeline.flows, { minutes: timeline.minutes, now }))} />
            <Stat label="threats/s now" value={formatRate(currentRate(timeline.threats, { minutes: timeline.minutes, now }))} />
            <Stat label="flows, last hour" value={formatCount(stats.data?.totals.flows)} />
            <Stat label="threats, last hour" value={formatCount(timeline.threats.reduce((a, b) => a + b, 0))} hint={`detection rate ${formatPercent(stats.data?.totals.detectionRate)}`} />
            <ActiveDecisions />
          </div>
          <div class="grid-2">
            <Panel title="Flows and threats per second, last hour">
              <TimeChart title="Flows and threats per second over the last hour" xs={timeline.minutes} mode="lines" format={(n) => formatRate(n).replace('/s', '')}
                series={[{ name: 'flows/s', values: perSecond(timeline.flows) }, { name: 'threats/s', values: perSecond(timeline.threats) }]} />
            </Panel>
            <Panel title="Threats by class, per minute">
              <TimeChart title="Threats per minute by attack class over the last hour" xs={timeline.minutes} mode="stacked" series={classSeries(timeline)} />
            </Panel>
          </div>
        </>
      )}
      <div class="grid-2">
        <Panel title="Top attacking sources, last hour">
          <ErrorBox message={recent.error} />
          {sources.length === 0 ? <p class="muted">No alerts with a source address in the last hour.</p> : (
            <table class="table">
              <thead><tr><th scope="col">Source</th><th scope="col" class="num">Alerts</th><th scope="col">Classes</th><th scope="col">Last seen</th></tr></thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.ip}>
                    <td><a href={routeHref('alerts', null, { sourceIp: s.ip })}>{s.ip}</a></td>
                    <td class="num">{formatCount(s.alerts)}</td>
                    <td>{s.classes.join(', ')}</td>
                    <td>{formatRelative(s.lastSeen, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <PipelineHealth />
      </div>
    </div>
  );
}

function ActiveDecisions() {
  const active = useLoad(({ api }) => api.get<DecisionPage>(API.decisions, { status: 'active', limit: 1000 }), []);
  useLive('decisions', () => active.reload());
  return <Stat label="active decisions" value={active.data ? `${formatCount(active.data.items.length)}${active.data.nextOffset !== null ? '+' : ''}` : '—'} hint={active.error ? 'unavailable' : undefined} />;
}

export function SimulationBanner() {
  const sim = useLoad(({ api }) => api.get<SimulationState>(API.simulation), []);
  useLive('decisions', (data) => {
    if ((data as { event?: string }).event === 'safety-alert') sim.reload();
  });
  if (!sim.data?.enabled) return null;
  return (
    <div class="banner banner-warn" role="status">
      <strong>Simulation mode is on.</strong> Decisions are recorded but nothing is enforced{sim.data.reason ? ` (${sim.data.reason})` : ''}.
    </div>
  );
}

function PipelineHealth() {
  const health = useLoad(({ api }) => api.get<ServicesHealth>(API.servicesHealth), []);
  useEffect(() => {
    const timer = setInterval(health.reload, 10_000);
    return () => clearInterval(timer);
  }, [health.reload]);
  return (
    <Panel title="Pipeline health">
      <ErrorBox message={health.error} />
      {!health.data ? <Loading what="service health" /> : (
        <>
          <ul class="health-list" aria-label="Services">
            {health.data.services.map((s) => (
              <li key={s.service}>
                <Badge tone={s.ready ? 'ok' : 'bad'}>{s.ready ? 'ready' : 'not ready'}</Badge> <strong>{s.service}</strong>
                {s.error ? <span class="muted"> — {s.error}</span> : s.latencyMs !== null ? <span class="muted"> {s.latencyMs} ms</span> : null}
              </li>
            ))}
          </ul>
          <table class="table table-compact">
            <caption>Consumer lag (messages not yet processed)</caption>
            <thead><tr><th scope="col">Stream</th><th scope="col">Consumer</th><th scope="col" class="num">Pending</th><th scope="col" class="num">Unacked</th></tr></thead>
            <tbody>
              {health.data.consumers.map((c) => (
                <tr key={`${c.stream}/${c.consumer}`}>
                  <td>{c.stream}</td><td>{c.consumer}</td><td class="num">{formatCount(c.pending)}</td><td class="num">{formatCount(c.ackPending)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Panel>
  );
}
