import type * as z from 'zod';
import type { ValidationIssue } from '../errors/validation-error.ts';
import { checkWith, parseWith } from '../errors/zod-issues.ts';
import type { HealthContext, HealthStatus } from './health-status.ts';

/** A definition as written in its file: typed properties, a render function, optionally a health rule. */
export interface DefinitionSpec<S extends z.ZodType, Context, Rendered> {
  type: string;
  description: string;
  properties: S;
  render(properties: z.output<S>, context: Context): Rendered;
  /** Without a health rule a definition is healthy, as in KubeVela. */
  health?(context: HealthContext): HealthStatus;
}

/** A definition as the registry holds it: properties arrive unchecked and are parsed before `render` sees them. */
export interface Definition<Context, Output> {
  readonly type: string;
  readonly description: string;
  /** Problems with `properties`, with paths relative to them (`ports[0].port`). */
  check(properties: unknown): ValidationIssue[];
  /** Throws ValidationError (paths under `properties`) when the properties do not fit. */
  render(properties: unknown, context: Context): Output;
  health(context: HealthContext): HealthStatus;
}

/** Wraps a typed definition; `complete` fills in what the definition may leave out of its render result. */
export function defineDefinition<S extends z.ZodType, Context, Rendered, Output>(
  spec: DefinitionSpec<S, Context, Rendered>,
  complete: (rendered: Rendered) => Output,
): Definition<Context, Output> {
  return {
    type: spec.type,
    description: spec.description,
    check(properties) {
      // Absent properties count as {}, as in KubeVela.
      const checked = checkWith(spec.properties, properties ?? {}, '');
      return checked.ok ? [] : checked.issues;
    },
    render: (properties, context) => complete(spec.render(parseWith(spec.properties, properties ?? {}, 'properties'), context)),
    health: (context) => spec.health?.(context) ?? { healthy: true, message: '' },
  };
}
