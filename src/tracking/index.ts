// Public surface of the tracking domain: other folders import tracking only from here.
export * from './search/index.js';
