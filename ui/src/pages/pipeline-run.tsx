import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { gyre, useApi } from '../api.js';
import { Dag } from '../components/dag.js';
import { Badge, ConfirmDialog, ErrorBox, KeyValues, Loading, Section } from '../components/ui.js';
import { bytes, duration, when } from '../format.js';
import { Link, path, setQuery, useLocation } from '../router.js';
import type { ApiPipelineRunDetail } from '../sdk.js';
import { needsOf, type PipelineSpec } from './pipelines.js';

const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/**
 * One pipeline run, live: its graph coloured by step state (polled while it runs), the chosen
 * step's log streamed as it is written, and cancel / resume / approve.
 */
export function PipelineRunPage({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const { query } = useLocation();
  const [finished, setFinished] = useState(false);
  const run = useApi((c) => c.pipelines.run(id), [id], { pollMs: finished ? undefined : 1000 });
  const spec = useApi(
    async (c) =>
      run.data
        ? (
            (await c.pipelines.get(run.data.pipelineName, run.data.pipelineVersion)) as {
              spec: PipelineSpec;
            }
          ).spec
        : undefined,
    [run.data?.pipelineName, run.data?.pipelineVersion],
  );
  const [confirm, setConfirm] = useState<'cancel' | 'approve'>();
  const [actionError, setActionError] = useState<unknown>();
  useEffect(() => setFinished(Boolean(run.data && FINISHED.includes(run.data.status))), [run.data]);
  if (run.error && !run.data) return <ErrorBox error={run.error} />;
  if (!run.data) return <Loading what="run" />;
  const detail = run.data;
  const status = Object.fromEntries(detail.steps.map((s) => [s.step, s.status]));
  const step =
    query.get('step') ??
    detail.steps.find((s) => s.status === 'running')?.step ??
    detail.steps[0]?.step;
  const waiting = detail.steps.find((s) => s.status === 'waiting_approval');
  const act = async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
      setFinished(false);
      run.reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return (
    <>
      <p className="muted">
        <Link to="/pipelines">Pipelines</Link> /{' '}
        <Link to={path('pipelines', detail.pipelineName)}>{detail.pipelineName}</Link> /
      </p>
      <h1>
        Run {detail.id.slice(0, 12)} <Badge status={detail.status} />
      </h1>
      <div className="actions">
        {!FINISHED.includes(detail.status) ? (
          <button type="button" className="danger" onClick={() => setConfirm('cancel')}>
            Cancel run
          </button>
        ) : null}
        {detail.status === 'interrupted' || detail.status === 'failed' ? (
          <button type="button" onClick={() => void act(() => gyre().pipelines.resume(id))}>
            Resume
          </button>
        ) : null}
        {waiting ? (
          <button type="button" className="primary" onClick={() => setConfirm('approve')}>
            Approve {waiting.step}
          </button>
        ) : null}
      </div>
      <ErrorBox error={actionError} />
      <Section title="Steps">
        {spec.data ? (
          <Dag
            needs={needsOf(spec.data)}
            status={status}
            selected={step}
            onSelect={(s) => setQuery({ step: s })}
          />
        ) : (
          <Loading />
        )}
      </Section>
      <div className="columns">
        <Section title="Run">
          <KeyValues
            entries={[
              ['Pipeline', `${detail.pipelineName} v${detail.pipelineVersion}`],
              ['Trigger', detail.trigger.kind],
              ['Created', when(detail.createdAt)],
              [
                'Took',
                detail.startedAt && detail.finishedAt
                  ? duration(detail.finishedAt - detail.startedAt)
                  : '—',
              ],
              ['Params', <code key="p">{JSON.stringify(detail.params)}</code>],
              [
                'Tracking run',
                detail.trackingRunId ? (
                  <Link key="t" to={path('runs', detail.trackingRunId)}>
                    {detail.trackingRunId}
                  </Link>
                ) : (
                  '—'
                ),
              ],
              ...(detail.error ? [['Error', detail.error] as [string, string]] : []),
            ]}
          />
        </Section>
        {step ? <StepPanel run={detail} step={step} /> : null}
      </div>
      {confirm ? (
        <ConfirmDialog
          title={confirm === 'cancel' ? 'Cancel this run?' : `Approve ${waiting?.step}?`}
          description={
            confirm === 'cancel' ? (
              <p>Running steps are stopped; finished steps keep their outputs.</p>
            ) : (
              <p>The run continues past the approval gate with your name recorded.</p>
            )
          }
          confirmLabel={confirm === 'cancel' ? 'Cancel run' : 'Approve'}
          askReason={confirm === 'approve'}
          onConfirm={async (reason) => {
            if (confirm === 'cancel') await gyre().pipelines.cancel(id);
            else await gyre().pipelines.approve(id, reason || 'web UI', waiting?.step);
            setFinished(false);
            run.reload();
          }}
          onClose={() => setConfirm(undefined)}
        />
      ) : null}
    </>
  );
}

function StepPanel({ run, step }: { run: ApiPipelineRunDetail; step: string }) {
  const state = run.steps.find((s) => s.step === step);
  return (
    <Section title={`Step ${step}`}>
      {state ? (
        <KeyValues
          entries={[
            ['Status', <Badge key="s" status={state.status} />],
            ['Attempt', String(state.attempt)],
            ['Wall time', duration(state.wallMs)],
            ['CPU time', duration(state.cpuMs)],
            ['Peak memory', bytes(state.peakRssBytes)],
            ...(state.trackingRunId
              ? [
                  [
                    'Tracking run',
                    <Link key="t" to={path('runs', state.trackingRunId)}>
                      {state.trackingRunId}
                    </Link>,
                  ] as [string, ReactNode],
                ]
              : []),
            ...(state.error ? [['Error', state.error] as [string, string]] : []),
            ...Object.entries(state.outputs ?? {}).map(
              ([k, o]) =>
                [
                  `output ${k}`,
                  typeof o.value === 'string' ? o.value : JSON.stringify(o.value),
                ] as [string, string],
            ),
          ]}
        />
      ) : null}
      <h3>Log</h3>
      <StepLog
        runId={run.id}
        step={step}
        live={
          !state ||
          !['succeeded', 'cached', 'failed', 'skipped', 'cancelled', 'interrupted'].includes(
            state.status,
          )
        }
      />
    </Section>
  );
}

/** A step's log: streamed while the step runs (`follow`), read whole once it has finished. */
function StepLog({ runId, step, live }: { runId: string; step: string; live: boolean }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const stop = new AbortController();
    setText('');
    setError(undefined);
    void (async () => {
      try {
        for await (const chunk of gyre().pipelines.logs(runId, step, {
          follow: live,
          signal: stop.signal,
        }))
          setText((t) => t + chunk);
      } catch (e) {
        if (!stop.signal.aborted) setError(e);
      }
    })();
    return () => stop.abort();
    // Re-read when the step finishes so the whole log shows even if streaming began late.
  }, [runId, step, live]);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [text]);
  return (
    <>
      <ErrorBox error={error} />
      <pre className="log" ref={box} tabIndex={0} aria-label={`log of ${step}`} aria-live="off">
        {text || (live ? 'Waiting for output…' : '(no output)')}
      </pre>
    </>
  );
}
