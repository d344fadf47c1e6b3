import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../api.js';

/** A titled block of a page. */
export function Section(props: { title: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="section" aria-labelledby={id}>
      <header className="section-head">
        <h2 id={id}>{props.title}</h2>
        {props.actions ? <div className="actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {errorMessage(error)}
    </p>
  );
}

export function Loading({ what }: { what?: string }) {
  return (
    <p className="muted" role="status">
      Loading{what ? ` ${what}` : ''}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted">{children}</p>;
}

const TONES: Record<string, string> = {
  succeeded: 'ok',
  ok: 'ok',
  passed: 'ok',
  live: 'ok',
  finished: 'ok',
  ready: 'ok',
  promoted: 'ok',
  resolved: 'ok',
  running: 'busy',
  queued: 'busy',
  pending: 'warn',
  waiting: 'warn',
  waiting_approval: 'warn',
  scheduled: 'busy',
  paused: 'warn',
  firing: 'bad',
  failed: 'bad',
  killed: 'bad',
  cancelled: 'muted',
  interrupted: 'bad',
  skipped: 'muted',
  cached: 'ok',
  'rolled-back': 'bad',
};

/** A status word with a colour that also reads without colour (the word itself). */
export function Badge({ status }: { status: string }) {
  const tone = TONES[status.toLowerCase()] ?? 'muted';
  return <span className={`badge badge-${tone}`}>{status}</span>;
}

/** A list of key → value pairs. */
export function KeyValues({ entries }: { entries: [string, ReactNode][] }) {
  if (entries.length === 0) return <Empty>None.</Empty>;
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A modal that asks before a consequential change (promote, roll back, cancel), with the
 * reason the change will record.
 */
export function ConfirmDialog(props: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  askReason?: boolean;
  onConfirm(reason: string): Promise<void>;
  onClose(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const reasonId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
      props.onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog" onClose={props.onClose} aria-label={props.title}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>{props.title}</h2>
        <div>{props.description}</div>
        {props.askReason ? (
          <p>
            <label htmlFor={reasonId}>Reason (recorded with the change)</label>
            <textarea
              id={reasonId}
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={3}
            />
          </p>
        ) : null}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
