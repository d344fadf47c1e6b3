export { loadConfig, type FlagValue, type LoadConfigOptions } from './load-config.js';
export { describeConfig, type EffectiveSetting } from './describe-config.js';
export { configSchema, type GyreConfig } from './schema.js';
export { SETTINGS, type SettingInfo } from './settings.js';
