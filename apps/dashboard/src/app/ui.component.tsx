import { type ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function ErrorBox({ message }: { message: string | null }) {
  if (!message) return null;
  return <p class="error-box" role="alert">{message}</p>;
}

export function Loading({ what }: { what: string }) {
  return <p class="muted" aria-busy="true">Loading {what}…</p>;
}

export function Panel({ title, children, actions, id }: { title: string; children: ComponentChildren; actions?: ComponentChildren; id?: string }) {
  const headingId = `${id ?? title.replace(/\W+/g, '-').toLowerCase()}-title`;
  return (
    <section class="panel" aria-labelledby={headingId}>
      <header class="panel-head">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div class="panel-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="stat">
      <div class="stat-value">{value}</div>
      <div class="stat-label">{label}</div>
      {hint ? <div class="stat-hint">{hint}</div> : null}
    </div>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted'; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/**
 * A modal confirmation on the native <dialog>: it traps focus, Escape cancels, and focus
 * returns to the button that opened it.
 */
export function ConfirmDialog(props: { open: boolean; title: string; children: ComponentChildren; confirmLabel: string; danger?: boolean; onConfirm(): void; onCancel(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); props.onCancel(); }}>
      <h2 id="confirm-title">{props.title}</h2>
      <div class="dialog-body">{props.children}</div>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
        <button type="button" class={props.danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={props.onConfirm}>{props.confirmLabel}</button>
      </div>
    </dialog>
  );
}

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div class="progress-wrap">
      <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Upload progress">
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div class="progress-label" aria-live="polite">{percent}% · {label}</div>
    </div>
  );
}
