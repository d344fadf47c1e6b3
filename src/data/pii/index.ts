export {
  PII_KINDS,
  piiKindOfName,
  piiKindOfValue,
  luhnValid,
  type PiiKind,
} from './pii-patterns.js';
export {
  judgeColumn,
  looksPersonal,
  CONTENT_MATCH_FRACTION,
  type PiiColumnFinding,
  type PiiScanReport,
} from './pii-scan.js';
export { KyselyPiiTagStore, type PiiTag } from './pii-tag-store.js';
export { PiiService } from './pii-service.js';
