import { SETTINGS, type GyreConfig } from './schema.js';

export interface EffectiveSetting {
  key: string;
  env: string;
  value: string;
  description: string;
}

function maskUrlPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1****@');
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
