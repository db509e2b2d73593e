import { ValidationError } from '../errors/validation-error.ts';
import type { ComponentDefinition } from './component-definition.ts';
import { k8sObjects } from './components/k8s-objects.ts';
import { webservice } from './components/webservice.ts';
import { worker } from './components/worker.ts';
import type { TraitDefinition } from './trait-definition.ts';
import { annotations } from './traits/annotations.ts';
import { gateway } from './traits/gateway.ts';
import { labels } from './traits/labels.ts';
import { scaler } from './traits/scaler.ts';

// The built-in definitions. A new definition is one file under components/ or traits/ and one entry here.
const components = byType<ComponentDefinition>([webservice, worker, k8sObjects]);
const traits = byType<TraitDefinition>([scaler, gateway, labels, annotations]);

function byType<D extends { type: string }>(definitions: D[]): ReadonlyMap<string, D> {
  return new Map(definitions.map((definition) => [definition.type, definition]));
}

export const componentTypes = (): string[] => [...components.keys()].sort();
export const traitTypes = (): string[] => [...traits.keys()].sort();

export function findComponentDefinition(type: string): ComponentDefinition | undefined {
  return components.get(type);
}

export function findTraitDefinition(type: string): TraitDefinition | undefined {
  return traits.get(type);
}

export function unknownComponentType(type: string): string {
  return `unknown component type ${JSON.stringify(type)}; known types: ${componentTypes().join(', ')}`;
}

export function unknownTraitType(type: string): string {
  return `unknown trait type ${JSON.stringify(type)}; known types: ${traitTypes().join(', ')}`;
}

export function componentDefinition(type: string, path = 'type'): ComponentDefinition {
  const definition = components.get(type);
  if (definition === undefined) throw ValidationError.single(path, unknownComponentType(type));
  return definition;
}

export function traitDefinition(type: string, path = 'type'): TraitDefinition {
  const definition = traits.get(type);
  if (definition === undefined) throw ValidationError.single(path, unknownTraitType(type));
  return definition;
}
