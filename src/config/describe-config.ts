import { maskUrlPassword } from '../core/index.js';
import { SETTINGS, type GyreConfig } from './schema.js';

export interface EffectiveSetting {
  key: string;
  env: string;
  value: string;
  description: string;
}

/** The effective settings for display, with secrets masked (passwords in URLs, keys). */
export function describeConfig(config: GyreConfig): EffectiveSetting[] {
  return SETTINGS.map((s) => {
    const raw = s.key
      .split('.')
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown> | undefined)?.[part],
        config,
      );
    let value = raw === undefined ? '' : String(raw);
    if (s.secret && value !== '')
      value = /^[a-z][a-z0-9+.-]*:/i.test(value) ? maskUrlPassword(value) : '****';
    return { key: s.key, env: s.env, value, description: s.description };
  });
}
