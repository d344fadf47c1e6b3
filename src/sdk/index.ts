export { HttpClient, type HttpClientOptions, type QueryValue } from './http-client.js';
