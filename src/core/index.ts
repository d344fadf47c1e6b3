export * from './errors.js';
export * from './assert-never.js';
export * from './logger.js';
export * from './ids.js';
export * from './clock.js';
export * from './mask-url-password.js';
export * from './log-redaction.js';
