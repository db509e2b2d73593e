import * as z from 'zod';
import type { ClusterInfo } from './cluster-info.ts';

const MatchExpression = z
  .strictObject({
    key: z.string().min(1),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string()).optional(),
  })
  .superRefine((expression, context) => {
    const count = expression.values?.length ?? 0;
    if ((expression.operator === 'In' || expression.operator === 'NotIn') && count === 0) {
      context.addIssue({ code: 'custom', path: ['values'], message: `operator ${expression.operator} needs at least one value` });
    }
    if ((expression.operator === 'Exists' || expression.operator === 'DoesNotExist') && count > 0) {
      context.addIssue({ code: 'custom', path: ['values'], message: `operator ${expression.operator} takes no values` });
    }
  });
export type MatchExpression = z.infer<typeof MatchExpression>;

export interface ClusterLabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: MatchExpression[];
}

/**
 * KubeVela's `clusterLabelSelector`: label -> value, all of which must match. Flotilla also reads a `matchExpressions`
 * list with Kubernetes' set operators (asked for in kubevela#5172, never built there); label values are strings, so
 * a list under that key cannot be mistaken for a label.
 */
export const ClusterLabelSelector = z
  .looseObject({ matchExpressions: z.array(MatchExpression).optional() })
  .catchall(z.string())
  .transform(({ matchExpressions, ...matchLabels }): ClusterLabelSelector => ({
    matchLabels: matchLabels as Record<string, string>,
    matchExpressions: matchExpressions ?? [],
  }));

export function matchesSelector(labels: Readonly<Record<string, string>>, selector: ClusterLabelSelector): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false;
  return selector.matchExpressions.every((expression) => {
    const value = Object.hasOwn(labels, expression.key) ? labels[expression.key] : undefined;
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
    }
  });
}

/** Which clusters an override entry or topology names: an explicit list wins over a selector, as in KubeVela. */
export interface ClusterScope {
  clusters?: string[] | undefined;
  clusterLabelSelector?: ClusterLabelSelector | undefined;
}

export function inScope(cluster: ClusterInfo, scope: ClusterScope): boolean {
  if (scope.clusters !== undefined) return scope.clusters.includes(cluster.name);
  if (scope.clusterLabelSelector !== undefined) return matchesSelector(cluster.labels, scope.clusterLabelSelector);
  return true;
}
