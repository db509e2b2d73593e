import type * as z from 'zod';
import type { KubernetesObject } from '../object/kubernetes-object.ts';
import type { NamedOutput, RenderContext } from './component-definition.ts';
import { defineDefinition, type Definition, type DefinitionSpec } from './define-definition.ts';

export interface TraitRenderContext extends RenderContext {
  /** The workload as rendered and patched by the traits before this one. */
  workload: Readonly<KubernetesObject>;
}

export interface TraitRender {
  /** A JSON merge patch (RFC 7386: null removes a key) for the workload. */
  patch?: Record<string, unknown>;
  outputs: NamedOutput[];
}

export type TraitDefinition = Definition<TraitRenderContext, TraitRender>;

export function defineTrait<S extends z.ZodType>(
  spec: DefinitionSpec<S, TraitRenderContext, { patch?: Record<string, unknown>; outputs?: NamedOutput[] }>,
): TraitDefinition {
  return defineDefinition(spec, (rendered) => ({ ...(rendered.patch === undefined ? {} : { patch: rendered.patch }), outputs: rendered.outputs ?? [] }));
}
