export { HttpClient, type HttpClientOptions, type QueryValue } from './http-client.js';
export {
  RegistryClient,
  type ApiModelVersion,
  type ApiRegisteredModel,
  type ApiResolvedModelUri,
  type ApiSearch,
} from './registry-client.js';
