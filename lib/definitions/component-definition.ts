import type { z } from 'zod';
import { checkWith, parseWith } from '../errors/zod-issues.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import type { HealthContext, HealthStatus } from '../health/health-status.ts';
import type { KubernetesObject } from '../k8s-object/kubernetes-object.ts';

export interface RenderContext {
  appName: string;
  componentName: string;
}

/** An extra object a definition renders besides the workload, under its CUE output name (`webserviceExpose`). */
export interface NamedOutput {
  name: string;
  object: KubernetesObject;
}

export interface ComponentDefinition {
  readonly type: string;
  readonly description: string;
  /** Problems with `properties`, with paths relative to them (`ports[0].port`). */
  check(properties: unknown): ValidationIssue[];
  /** Throws ValidationError (paths under `properties`) when the properties do not fit. */
  render(properties: unknown, context: RenderContext): { workload: KubernetesObject; outputs: NamedOutput[] };
  health(context: HealthContext): HealthStatus;
}

interface ComponentSpec<S extends z.ZodType> {
  type: string;
  description: string;
  properties: S;
  render(properties: z.output<S>, context: RenderContext): { workload: KubernetesObject; outputs?: NamedOutput[] };
  /** Without a health rule a component is healthy, as in KubeVela. */
  health?(context: HealthContext): HealthStatus;
}

/** Turns a typed definition into the uniform shape the registry holds; properties are parsed before `render` sees them. */
export function defineComponent<S extends z.ZodType>(spec: ComponentSpec<S>): ComponentDefinition {
  return {
    type: spec.type,
    description: spec.description,
    check: (properties) => {
      const checked = checkWith(spec.properties, properties ?? {}, '');
      return checked.ok ? [] : checked.issues;
    },
    render: (properties, context) => {
      const rendered = spec.render(parseWith(spec.properties, properties ?? {}, 'properties'), context);
      return { workload: rendered.workload, outputs: rendered.outputs ?? [] };
    },
    health: (context) => spec.health?.(context) ?? { healthy: true, message: '' },
  };
}
