import { maskUrlPassword } from '../core/index.js';
import type { GyreConfig } from './schema.js';
import { SETTINGS } from './settings.js';

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
    const value = raw === undefined ? '' : maskSettingValue(String(raw), s.secret ?? false);
    return { key: s.key, env: s.env, value, description: s.description };
  });
}

/**
 * A setting's value fit to print: a secret that is not a URL is hidden whole; in anything else
 * URL passwords and secret parameters are masked (an S3 endpoint or artifact root may carry
 * credentials too).
 */
export function maskSettingValue(value: string, secret: boolean): string {
  if (secret && value !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(value)) return '****';
  return maskUrlPassword(value);
}
