// The UI's one door to Gyre: the package's typed SDK (src/sdk), bundled for the browser.
export * from '../../src/sdk/index.js';
export { GyreError } from '../../src/core/errors.js';
