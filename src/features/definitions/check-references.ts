import type {
  Definition,
  EntityDefinition,
  FeatureServiceDefinition,
  FeatureViewDefinition,
} from './definition-schema.js';
import type { DefinitionIssue } from './parse-definitions.js';

/** A set of definitions as one whole: what the apply would leave registered. */
export interface DefinitionSet {
  entities: Map<string, EntityDefinition>;
  views: Map<string, FeatureViewDefinition>;
  services: Map<string, FeatureServiceDefinition>;
}

export function emptySet(): DefinitionSet {
  return { entities: new Map(), views: new Map(), services: new Map() };
}

/** One feature a service selects, resolved to its view. */
export interface SelectedFeature {
  view: string;
  feature: string;
  type: string;
}

/** The features a service selects, in order; throws nothing (issues are reported by check). */
export function selectFeatures(
  service: FeatureServiceDefinition,
  views: ReadonlyMap<string, FeatureViewDefinition>,
): SelectedFeature[] {
  const out: SelectedFeature[] = [];
  for (const ref of service.features) {
    const [viewName, featureName] = ref.split(':');
    const view = views.get(viewName);
    if (!view) continue;
    for (const f of view.features)
      if (featureName === undefined || f.name === featureName)
        out.push({ view: viewName, feature: f.name, type: f.type });
  }
  return out;
}

/**
 * Checks that definitions refer to each other correctly: a view's entities exist, its
 * features do not reuse a join key's name, a service's features exist and their names do
 * not collide (they become the columns of a training set and a model's inputs).
 */
export function checkReferences(
  set: DefinitionSet,
  fileOf: (d: Definition) => string,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const issue = (d: Definition, field: string, message: string) =>
    issues.push({ file: fileOf(d), field: `${d.name}.${field}`, message });
  for (const view of set.views.values()) {
    const keys = new Set<string>();
    view.entities.forEach((e, i) => {
      const entity = set.entities.get(e);
      if (!entity) issue(view, `entities[${i}]`, `entity ${e} is not defined`);
      else for (const k of entity.joinKeys) keys.add(k);
    });
    const seen = new Set<string>();
    view.features.forEach((f, i) => {
      if (keys.has(f.name))
        issue(view, `features[${i}].name`, `${f.name} is a join key, not a feature`);
      if (f.name === view.timestampColumn)
        issue(view, `features[${i}].name`, `${f.name} is the timestamp column`);
      if (seen.has(f.name)) issue(view, `features[${i}].name`, `${f.name} is listed twice`);
      seen.add(f.name);
    });
  }
  for (const service of set.services.values()) {
    const names = new Map<string, string>();
    service.features.forEach((ref, i) => {
      const [viewName, featureName] = ref.split(':');
      const view = set.views.get(viewName);
      if (!view) return issue(service, `features[${i}]`, `feature view ${viewName} is not defined`);
      if (featureName !== undefined && !view.features.some((f) => f.name === featureName))
        return issue(
          service,
          `features[${i}]`,
          `feature view ${viewName} has no feature ${featureName} (it has ${view.features.map((f) => f.name).join(', ')})`,
        );
      for (const f of view.features) {
        if (featureName !== undefined && f.name !== featureName) continue;
        const other = names.get(f.name);
        if (other !== undefined && other !== viewName)
          issue(
            service,
            `features[${i}]`,
            `feature ${f.name} comes from both ${other} and ${viewName}; select one`,
          );
        names.set(f.name, viewName);
      }
    });
  }
  return issues;
}
