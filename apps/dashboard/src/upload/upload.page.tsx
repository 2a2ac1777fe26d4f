import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { API } from '../api/api.routes';
import { describeError } from '../api/api.errors';
import { type Job } from '../api/api.types';
import { useApp, useLive } from '../app/app.context';
import { routeHref } from '../app/app.router';
import { ErrorBox, Panel, ProgressBar, Stat } from '../app/ui.component';
import { can } from '../auth/role.gate';
import { formatBytes, formatCount, formatRate } from '../format/format';
import { concernsJob, isFinished, progressOf, uploadContentType, uploadReducer } from './upload.state';

export function UploadPage() {
  const { api, who, announce } = useApp();
  const [state, dispatch] = useReducer(uploadReducer, { phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const jobId = state.phase === 'tracking' || state.phase === 'done' ? state.job.id : null;

  const refresh = (id: string) => api.get<Job>(API.job(id)).then((job) => dispatch({ type: 'job', job }), () => undefined);
  // Progress comes from the live feed (a `jobs` event per processed chunk, alerts as flows are scored);
  // a slow poll covers the scoring phase and a dropped socket.
  useLive('jobs', (data) => jobId && state.phase === 'tracking' && concernsJob(data, jobId) && void refresh(jobId));
  useLive('alerts', (data) => jobId && state.phase === 'tracking' && concernsJob(data, jobId) && void refresh(jobId));
  useEffect(() => {
    if (state.phase !== 'tracking') return;
    const timer = setInterval(() => void refresh(state.job.id), 1_000);
    return () => clearInterval(timer);
  }, [state.phase, jobId]);
  useEffect(() => {
    if (state.phase === 'done') announce(state.job.state === 'completed' ? `Upload finished: ${state.job.predictions.threats} threats in ${state.job.rows.accepted} flows.` : `Upload failed: ${state.job.error?.message ?? ''}`);
  }, [state.phase]);

  const send = async (file: File) => {
    dispatch({ type: 'send', fileName: file.name, bytes: file.size });
    try {
      const job = await api.postBytes<Job>(API.upload(file.name), file, uploadContentType(file.name));
      dispatch({ type: 'job', job });
      if (!isFinished(job)) void refresh(job.id);
    } catch (err) {
      dispatch({ type: 'refused', fileName: file.name, message: describeError(err) });
    }
  };
  if (!can(who.role, 'upload')) return <div class="page"><h1>Upload</h1><p>Uploading needs an operator key; yours is a {who.role} key.</p></div>;
  const progress = progressOf(state);
  return (
    <div class="page">
      <h1>Upload flows</h1>
      <div class={dragging ? 'drop-zone drop-zone-on' : 'drop-zone'} data-testid="drop-zone"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer?.files[0];
          if (file) void send(file);
        }}>
        <p><strong>Drop a flow file here</strong> (CSV or TXT of NSL-KDD or CICFlowMeter, plain or .gz)</p>
        <label class="btn btn-primary">Choose a file
          <input ref={input} type="file" name="file" class="visually-hidden" accept=".csv,.txt,.gz,text/csv"
            onChange={(e) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) void send(f); }} />
        </label>
      </div>
      {state.phase === 'refused' ? <ErrorBox message={`${state.fileName} was refused: ${state.message}`} /> : null}
      {progress ? <ProgressBar percent={progress.percent} label={progress.label} /> : null}
      {state.phase === 'tracking' || state.phase === 'done' ? <JobSummary job={state.job} /> : null}
    </div>
  );
}

function JobSummary({ job }: { job: Job }) {
  const { api } = useApp();
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    try {
      const blob = await api.blob(API.jobResults(job.id));
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${(job.fileName ?? 'upload').replace(/\.(csv|txt)(\.gz)?$/i, '')}-results.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Panel title={`Job ${job.fileName ?? job.id}`} actions={job.state === 'completed' ? <button type="button" class="btn" onClick={() => void download()}>Download results.csv</button> : null}>
      <div class="stats-row" data-testid="job-summary">
        <Stat label="state" value={job.state} />
        <Stat label="contract" value={job.contract ?? '—'} hint={job.variant ?? undefined} />
        <Stat label="size" value={formatBytes(job.bytes)} />
        <Stat label="rows read" value={formatCount(job.rows.read)} />
        <Stat label="accepted" value={formatCount(job.rows.accepted)} hint={job.rows.duplicates > 0 ? `${formatCount(job.rows.duplicates)} duplicates` : undefined} />
        <Stat label="rejected" value={formatCount(job.rows.rejected)} />
        <Stat label="scored" value={formatCount(job.predictions.flows)} />
        <Stat label="threats" value={formatCount(job.predictions.threats)} />
        <Stat label="throughput" value={job.throughputRowsPerSecond === null ? '—' : formatRate(job.throughputRowsPerSecond).replace('/s', ' rows/s')} />
      </div>
      {job.duplicate ? <p class="muted">The same file was uploaded before: this is the earlier job.</p> : null}
      {job.error ? <ErrorBox message={`${job.error.message} (${job.error.code})`} /> : null}
      <ErrorBox message={error} />
      {job.predictions.threats > 0 ? <p><a href={routeHref('alerts', null, { jobId: job.id })}>See this job's alerts →</a></p> : null}
      {job.errors.length > 0 ? (
        <div class="table-scroll">
          <table class="table table-compact" data-testid="row-errors">
            <caption>Row errors (first {job.errors.length} of {formatCount(job.rows.rejected)})</caption>
            <thead><tr><th scope="col" class="num">Line</th><th scope="col">Field</th><th scope="col">Code</th><th scope="col">Reason</th></tr></thead>
            <tbody>{job.errors.map((e) => <tr key={`${e.row}:${e.field}`}><td class="num">{e.row}</td><td>{e.field ?? '—'}</td><td><code>{e.code}</code></td><td>{e.reason}</td></tr>)}</tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}
