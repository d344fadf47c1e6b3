import { useEffect, useState } from 'react';
import { useApi } from '../api.js';
import { gyre } from '../api.js';
import { bytes } from '../format.js';
import { ErrorBox, Loading } from './ui.js';

const IMAGE = /\.(png|jpe?g|gif|svg)$/i;
const TEXT = /(\.(json|csv|tsv|txt|ya?ml|md|log)|\/?MLmodel)$/i;
// A preview reads at most this much of a file (a CSV's head, a long log's start).
const PREVIEW_BYTES = 256 * 1024;
const CSV_ROWS = 20;

/** A run's artifacts, a directory level at a time, with an inline preview of the chosen file. */
export function ArtifactBrowser({ runId }: { runId: string }) {
  const [dir, setDir] = useState('');
  const [file, setFile] = useState<string>();
  const { data, error, loading } = useApi(
    (c) => c.tracking.listArtifacts(runId, dir),
    [runId, dir],
  );
  const parts = dir ? dir.split('/') : [];
  return (
    <div className="columns">
      <div>
        <nav aria-label="Artifact path" className="muted">
          <button type="button" className="link" onClick={() => setDir('')}>
            artifacts
          </button>
          {parts.map((p, i) => (
            <span key={i}>
              {' / '}
              <button
                type="button"
                className="link"
                onClick={() => setDir(parts.slice(0, i + 1).join('/'))}
              >
                {p}
              </button>
            </span>
          ))}
        </nav>
        <ErrorBox error={error} />
        {loading && !data ? <Loading /> : null}
        {data && data.files.length === 0 ? <p className="muted">No artifacts.</p> : null}
        <ul className="list">
          {data?.files.map((f) => {
            const name = f.path.split('/').pop();
            return (
              <li key={f.path}>
                <button
                  type="button"
                  className="link"
                  aria-current={file === f.path ? 'true' : undefined}
                  onClick={() => (f.isDir ? setDir(f.path) : setFile(f.path))}
                >
                  {f.isDir ? `${name}/` : name}
                </button>{' '}
                {f.isDir ? null : <span className="muted">{bytes(f.size)}</span>}
              </li>
            );
          })}
        </ul>
      </div>
      <div>
        {file ? (
          <ArtifactPreview runId={runId} path={file} />
        ) : (
          <p className="muted">Choose a file to preview it.</p>
        )}
      </div>
    </div>
  );
}

type Preview =
  | { kind: 'image'; url: string }
  | { kind: 'json'; text: string }
  | { kind: 'csv'; rows: string[][]; truncated: boolean }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'binary'; size: number };

async function readPreview(runId: string, path: string): Promise<Preview> {
  const response = await gyre().tracking.artifact(runId, path);
  if (IMAGE.test(path)) return { kind: 'image', url: URL.createObjectURL(await response.blob()) };
  if (!TEXT.test(path)) {
    const blob = await response.blob();
    return { kind: 'binary', size: blob.size };
  }
  const blob = await response.blob();
  const truncated = blob.size > PREVIEW_BYTES;
  const text = await blob.slice(0, PREVIEW_BYTES).text();
  if (/\.json$/i.test(path) && !truncated) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      // Not valid JSON after all: show it as text.
    }
  }
  if (/\.(csv|tsv)$/i.test(path)) {
    const separator = /\.tsv$/i.test(path) ? '\t' : ',';
    const lines = text.split(/\r?\n/).filter(Boolean);
    return {
      kind: 'csv',
      rows: lines.slice(0, CSV_ROWS + 1).map((l) => splitCsvLine(l, separator)),
      truncated: truncated || lines.length > CSV_ROWS + 1,
    };
  }
  return { kind: 'text', text, truncated };
}

/** One CSV line into fields, honouring double quotes (enough for a preview). */
export function splitCsvLine(line: string, separator = ','): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

function ArtifactPreview({ runId, path }: { runId: string; path: string }) {
  const { data, error, loading } = useApi(() => readPreview(runId, path), [runId, path]);
  useEffect(
    () => () => {
      if (data?.kind === 'image') URL.revokeObjectURL(data.url);
    },
    [data],
  );
  const download = async () => {
    const blob = await (await gyre().tracking.artifact(runId, path)).blob();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = path.split('/').pop() ?? 'artifact';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  return (
    <div>
      <h3>
        {path}{' '}
        <button type="button" onClick={() => void download()}>
          Download
        </button>
      </h3>
      <ErrorBox error={error} />
      {loading ? <Loading /> : null}
      {data?.kind === 'image' ? (
        <img src={data.url} alt={path} style={{ maxWidth: '100%' }} />
      ) : null}
      {data?.kind === 'json' ? (
        <pre className="preview" tabIndex={0}>
          {data.text}
        </pre>
      ) : null}
      {data?.kind === 'text' ? (
        <pre className="preview" tabIndex={0}>
          {data.text}
          {data.truncated ? '\n…' : ''}
        </pre>
      ) : null}
      {data?.kind === 'binary' ? (
        <p className="muted">A binary file of {bytes(data.size)}; download it to open it.</p>
      ) : null}
      {data?.kind === 'csv' ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">First rows of {path}</caption>
            <thead>
              <tr>
                {data.rows[0]?.map((h, i) => (
                  <th key={i} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.slice(1).map((row, i) => (
                <tr key={i}>
                  {row.map((v, j) => (
                    <td key={j}>{v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {data.truncated ? <p className="muted">First {CSV_ROWS} rows.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
