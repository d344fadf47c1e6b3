import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { AUTH_CHANGE, AUTH_NEEDED, gyre, hasToken, setToken } from './api.js';
import { Loading } from './components/ui.js';
import { HomePage } from './pages/home.js';
import { LoginPage } from './pages/login.js';
import { Link, match, useLocation } from './router.js';
import { GyreError } from './sdk.js';

type Params = Record<string, string>;
type Page = ComponentType<{ params: Params }>;

// Pages other than Home load on first visit, so the home page's script stays small.
const page = (load: () => Promise<Record<string, unknown>>, name: string): Page =>
  lazy(async () => ({ default: (await load())[name] as Page }));

const ROUTES: [string, Page][] = [
  ['/', HomePage],
  ['/experiments', page(() => import('./pages/experiments.js'), 'ExperimentsPage')],
  ['/experiments/:id', page(() => import('./pages/runs.js'), 'RunsPage')],
  ['/compare', page(() => import('./pages/compare.js'), 'ComparePage')],
  ['/runs/:id', page(() => import('./pages/run.js'), 'RunPage')],
  ['/models', page(() => import('./pages/models.js'), 'ModelsPage')],
  ['/models/:name', page(() => import('./pages/model.js'), 'ModelPage')],
  ['/pipelines', page(() => import('./pages/pipelines.js'), 'PipelinesPage')],
  ['/pipelines/:name', page(() => import('./pages/pipelines.js'), 'PipelinePage')],
  ['/pipeline-runs/:id', page(() => import('./pages/pipeline-run.js'), 'PipelineRunPage')],
  ['/deployments', page(() => import('./pages/deployments.js'), 'DeploymentsPage')],
  ['/deployments/:name', page(() => import('./pages/deployment.js'), 'DeploymentPage')],
  ['/datasets', page(() => import('./pages/datasets.js'), 'DatasetsPage')],
  ['/datasets/:name', page(() => import('./pages/dataset.js'), 'DatasetPage')],
  ['/monitoring', page(() => import('./pages/monitoring.js'), 'MonitoringPage')],
  ['/features', page(() => import('./pages/features.js'), 'FeaturesPage')],
  ['/features/views/:name', page(() => import('./pages/features.js'), 'FeatureViewPage')],
  ['/governance', page(() => import('./pages/governance.js'), 'GovernancePage')],
  [
    '/models/:name/versions/:version/card',
    page(() => import('./pages/governance.js'), 'ModelCardPage'),
  ],
  ['/alerts/:id', page(() => import('./pages/monitoring.js'), 'AlertPage')],
];

const NAV: [string, string][] = [
  ['/', 'Home'],
  ['/experiments', 'Experiments'],
  ['/models', 'Models'],
  ['/datasets', 'Datasets'],
  ['/features', 'Features'],
  ['/pipelines', 'Pipelines'],
  ['/deployments', 'Deployments'],
  ['/monitoring', 'Monitoring'],
  ['/governance', 'Governance'],
];

const SECTION_OF: Record<string, string> = {
  runs: '/experiments',
  compare: '/experiments',
  'pipeline-runs': '/pipelines',
  alerts: '/monitoring',
};

function activeSection(path: string): string {
  const first = path.split('/')[1] ?? '';
  return SECTION_OF[first] ?? `/${first}`;
}

type Auth =
  { state: 'checking' } | { state: 'login' } | { state: 'in'; name: string; role: string };

/** The shell: who is signed in, the navigation and the page the URL names. */
export function App() {
  const { path } = useLocation();
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  useEffect(() => {
    const check = () =>
      gyre()
        .http.request<{ name: string; role: string }>('GET', '/api/v1/whoami')
        .then(
          (me) => setAuth({ state: 'in', ...me }),
          (error: unknown) =>
            setAuth(
              error instanceof GyreError && error.code === 'UNAUTHENTICATED'
                ? { state: 'login' }
                : { state: 'in', name: '?', role: '?' },
            ),
        );
    const needed = () => setAuth({ state: 'login' });
    void check();
    window.addEventListener(AUTH_CHANGE, check);
    window.addEventListener(AUTH_NEEDED, needed);
    return () => {
      window.removeEventListener(AUTH_CHANGE, check);
      window.removeEventListener(AUTH_NEEDED, needed);
    };
  }, []);

  const found = ROUTES.map(([pattern, Component]) => ({
    params: match(pattern, path),
    Component,
  })).find((r) => r.params);
  const section = activeSection(path);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Gyre
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={section === to ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {auth.state === 'in' ? (
            <span>
              {auth.name} <span className="muted">({auth.role})</span>
            </span>
          ) : null}
          {hasToken() ? (
            <button type="button" className="link" onClick={() => setToken(undefined)}>
              Sign out
            </button>
          ) : null}
        </div>
      </header>
      <main id="main">
        {/* Pages load while the sign-in check runs: a 401 from either shows the login page. */}
        {auth.state === 'login' ? (
          <LoginPage />
        ) : found ? (
          <Suspense fallback={<Loading what="page" />}>
            <found.Component params={found.params!} />
          </Suspense>
        ) : (
          <>
            <h1>Not found</h1>
            <p>
              There is no page at <code>{path}</code>. <Link to="/">Go home</Link>.
            </p>
          </>
        )}
      </main>
    </>
  );
}
