import { useId, useState } from 'react';
import { gyre, useApi } from '../api.js';
import { ErrorBox, Section } from '../components/ui.js';
import { num } from '../format.js';

interface Input {
  name: string;
  type: string;
  required?: boolean;
}

const NUMERIC = new Set(['double', 'float', 'long', 'integer']);

/**
 * A form generated from the served model's signature: one field per input column, sent as one
 * row to the deployment's MLflow scoring endpoint; the answer is shown as it came back.
 */
export function TryIt({
  deployment,
  model,
}: {
  deployment: string;
  model?: { name: string; version: number };
}) {
  const id = useId();
  const signature = useApi(
    async (c) => (model ? c.registry.getVersion(model.name, model.version) : undefined),
    [model?.name, model?.version],
  );
  const inputs = (
    (signature.data?.metadata?.signature as { inputs?: Input[] } | undefined)?.inputs ?? []
  ).filter((i) => i.name);
  const [values, setValues] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      const row = Object.fromEntries(
        inputs.map((i) => {
          const raw = values[i.name] ?? '';
          if (raw === '') return [i.name, null];
          if (NUMERIC.has(i.type)) return [i.name, Number(raw)];
          if (i.type === 'boolean') return [i.name, raw === 'true'];
          return [i.name, raw];
        }),
      );
      const result = await gyre().http.request(
        'POST',
        `/deployments/${encodeURIComponent(deployment)}/invocations`,
        {
          body: { dataframe_records: [row] },
        },
      );
      setAnswer(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const predictions = (answer as { predictions?: unknown[] } | undefined)?.predictions;
  return (
    <Section title="Try it">
      {model ? (
        <p className="muted">
          Fields from the signature of {model.name} v{model.version}; the request goes to{' '}
          <code>/deployments/{deployment}/invocations</code> and is routed like any other.
        </p>
      ) : null}
      <ErrorBox error={signature.error} />
      {signature.data && inputs.length === 0 ? (
        <p className="muted">The model has no input signature to build a form from.</p>
      ) : null}
      {inputs.length > 0 ? (
        <form
          aria-label="Try the model"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="form-grid">
            {inputs.map((i) => (
              <div key={i.name}>
                <label htmlFor={`${id}-${i.name}`}>
                  {i.name} <span className="muted">({i.type})</span>
                </label>
                <input
                  id={`${id}-${i.name}`}
                  name={i.name}
                  inputMode={NUMERIC.has(i.type) ? 'decimal' : undefined}
                  required={i.required !== false}
                  value={values[i.name] ?? ''}
                  onChange={(e) => setValues((v) => ({ ...v, [i.name]: e.target.value }))}
                />
              </div>
            ))}
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Predicting…' : 'Predict'}
          </button>
        </form>
      ) : null}
      <ErrorBox error={error} />
      {predictions ? (
        <p role="status" className="prediction">
          Prediction:{' '}
          <strong>
            {predictions
              .map((p) => (typeof p === 'number' ? num(p, 6) : JSON.stringify(p)))
              .join(', ')}
          </strong>
        </p>
      ) : null}
    </Section>
  );
}
