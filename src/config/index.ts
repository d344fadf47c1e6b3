export { loadConfig, type FlagValue, type LoadConfigOptions } from './load-config.js';
export { describeConfig, type EffectiveSetting } from './describe-config.js';
export { configSchema, SETTINGS, type GyreConfig, type SettingInfo } from './schema.js';
