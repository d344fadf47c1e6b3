/** What an `Authorization` header carries, before anyone checks it. */
export type Credentials =
  | { scheme: 'bearer'; token: string }
  | { scheme: 'basic'; user: string; password: string }
  | { scheme: 'unsupported' };

/**
 * Bearer (what `MLFLOW_TRACKING_TOKEN` sends) and Basic with the token as password (what
 * `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD` send). Undefined without a header.
 */
export function parseCredentials(header: string | undefined): Credentials | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  switch (scheme.toLowerCase()) {
    case 'bearer':
      return value ? { scheme: 'bearer', token: value } : { scheme: 'unsupported' };
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { scheme: 'unsupported' };
      return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    default:
      return { scheme: 'unsupported' };
  }
}
