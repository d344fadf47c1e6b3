// The governance domain's public surface: model cards, retention, costs and budgets. It reads
// every other domain through their index; nothing imports it but the composition root.
export {
  createGovernanceServices,
  type GovernanceServices,
  type GovernanceServicesOptions,
} from './governance-services.js';
export { CardService } from './cards/card-service.js';
export { cardMarkdown } from './cards/card-markdown.js';
export type * from './cards/model-card.js';
export type { CardFields, CardFieldPatch } from './store/card-field-store.js';
export { RetentionService } from './retention/retention-service.js';
export {
  RETENTION_KINDS,
  type RetentionKind,
  type RetentionPolicy,
  type RetentionPlan,
  type RetentionItem,
  type RetentionResult,
} from './retention/retention-policy.js';
export { CostService, parseSince } from './costs/cost-service.js';
export {
  COST_DIMENSIONS,
  type CostDimension,
  type CostGroup,
  type CostReport,
  type RateCard,
  type ServingUsage,
  type StepUsage,
} from './costs/cost-report.js';
export { BudgetService, type BudgetInput, type BudgetStatus } from './costs/budget-service.js';
export { BUDGET_SCOPES, type Budget, type BudgetScope } from './store/budget-store.js';
