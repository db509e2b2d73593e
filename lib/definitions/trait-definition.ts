import type { z } from 'zod';
import { checkWith, parseWith } from '../errors/zod-issues.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import type { HealthContext, HealthStatus } from '../health/health-status.ts';
import type { KubernetesObject } from '../k8s-object/kubernetes-object.ts';
import type { NamedOutput, RenderContext } from './component-definition.ts';

export interface TraitRenderContext extends RenderContext {
  /** The workload as rendered and patched by the traits before this one. */
  workload: Readonly<KubernetesObject>;
}

export interface TraitRender {
  /** A JSON merge patch (RFC 7386: null removes a key) for the workload. */
  patch?: Record<string, unknown>;
  outputs: NamedOutput[];
}

export interface TraitDefinition {
  readonly type: string;
  readonly description: string;
  check(properties: unknown): ValidationIssue[];
  render(properties: unknown, context: TraitRenderContext): TraitRender;
  health(context: HealthContext): HealthStatus;
}

interface TraitSpec<S extends z.ZodType> {
  type: string;
  description: string;
  properties: S;
  render(properties: z.output<S>, context: TraitRenderContext): { patch?: Record<string, unknown>; outputs?: NamedOutput[] };
  /** Without a health rule a trait is healthy, as in KubeVela. */
  health?(context: HealthContext): HealthStatus;
}

export function defineTrait<S extends z.ZodType>(spec: TraitSpec<S>): TraitDefinition {
  return {
    type: spec.type,
    description: spec.description,
    check: (properties) => {
      const checked = checkWith(spec.properties, properties ?? {}, '');
      return checked.ok ? [] : checked.issues;
    },
    render: (properties, context) => {
      const rendered = spec.render(parseWith(spec.properties, properties ?? {}, 'properties'), context);
      return { ...(rendered.patch === undefined ? {} : { patch: rendered.patch }), outputs: rendered.outputs ?? [] };
    },
    health: (context) => spec.health?.(context) ?? { healthy: true, message: '' },
  };
}
