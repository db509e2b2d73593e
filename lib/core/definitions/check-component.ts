import type { ApplicationComponent } from '../application/component.ts';
import { underPath, type ValidationIssue } from '../errors/validation-error.ts';
import { findComponentDefinition, findTraitDefinition, unknownComponentType, unknownTraitType } from './registry.ts';

/**
 * Checks a component against the definitions: known types, properties that fit, one trait per type (overrides key
 * traits by type, so a second one of a type could never be patched). Paths are relative to the component.
 */
export function checkComponent(component: ApplicationComponent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const definition = findComponentDefinition(component.type);
  if (definition === undefined) issues.push({ path: 'type', message: unknownComponentType(component.type) });
  else issues.push(...underPath('properties', definition.check(component.properties)));
  const seen = new Map<string, number>();
  (component.traits ?? []).forEach((trait, index) => {
    const base = `traits[${index}]`;
    const first = seen.get(trait.type);
    if (first !== undefined) {
      issues.push({ path: `${base}.type`, message: `trait type ${JSON.stringify(trait.type)} is already used by traits[${first}]; a component has at most one trait of each type` });
    }
    seen.set(trait.type, first ?? index);
    const traitDefinition = findTraitDefinition(trait.type);
    if (traitDefinition === undefined) issues.push({ path: `${base}.type`, message: unknownTraitType(trait.type) });
    else issues.push(...underPath(`${base}.properties`, traitDefinition.check(trait.properties)));
  });
  return issues;
}
