import type { LifecycleStage, ViewType } from './types.js';

/** The lifecycle stages a view type includes. */
export function stagesOf(viewType: ViewType): LifecycleStage[] {
  switch (viewType) {
    case 'ACTIVE_ONLY':
      return ['active'];
    case 'DELETED_ONLY':
      return ['deleted'];
    case 'ALL':
      return ['active', 'deleted'];
  }
}
