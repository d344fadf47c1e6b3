export { HttpClient, type HttpClientOptions, type QueryValue } from './http-client.js';
export { DataClient, type IngestOptions } from './data-client.js';
