import type * as z from 'zod';
import type { KubernetesObject } from '../object/kubernetes-object.ts';
import { defineDefinition, type Definition, type DefinitionSpec } from './define-definition.ts';

export interface RenderContext {
  appName: string;
  componentName: string;
}

/** An extra object a definition renders besides the workload, under its CUE output name (`webserviceExpose`). */
export interface NamedOutput {
  name: string;
  object: KubernetesObject;
}

export interface ComponentRender {
  workload: KubernetesObject;
  outputs: NamedOutput[];
}

export type ComponentDefinition = Definition<RenderContext, ComponentRender>;

export function defineComponent<S extends z.ZodType>(
  spec: DefinitionSpec<S, RenderContext, { workload: KubernetesObject; outputs?: NamedOutput[] }>,
): ComponentDefinition {
  return defineDefinition(spec, (rendered) => ({ workload: rendered.workload, outputs: rendered.outputs ?? [] }));
}
