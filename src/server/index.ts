export { buildApp, type AppOptions } from './app.js';
export {
  listen,
  installGracefulShutdown,
  type ListenOptions,
  type ShutdownOptions,
} from './lifecycle.js';
export { httpStatusOf, toGyreError, type ErrorBody } from './error-mapping.js';
export { serveGyre, serveApiOnLoopback, type ServeOptions } from './serve.js';
