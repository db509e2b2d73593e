import { limitMessages, MAX_OVERRIDE_ENTRIES } from '../application/limits.ts';
import type { ApplicationPolicy } from '../application/policy.ts';
import { findComponentDefinition, findTraitDefinition, unknownComponentType, unknownTraitType } from '../definitions/registry.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import { checkWith, parseWith } from '../errors/zod-issues.ts';
import { OverrideProperties } from './override.ts';
import { TopologyProperties, type Topology } from './topology.ts';

export const policyTypes = ['override', 'topology'] as const;

export function policyPath(index: number): string {
  return `spec.policies[${index}]`;
}

/** Checks every policy: unique names, known types, properties that fit the type, known types inside overrides. */
export function checkPolicies(policies: readonly ApplicationPolicy[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  policies.forEach((policy, index) => {
    const path = policyPath(index);
    const first = seen.get(policy.name);
    if (first !== undefined) issues.push({ path: `${path}.name`, message: `policy name ${policy.name} is already used by ${policyPath(first)}` });
    seen.set(policy.name, first ?? index);
    if (policy.type === 'topology') {
      const checked = checkWith(TopologyProperties, policy.properties ?? {}, `${path}.properties`);
      if (!checked.ok) issues.push(...checked.issues);
    } else if (policy.type === 'override') {
      const checked = checkWith(OverrideProperties, policy.properties ?? {}, `${path}.properties`);
      if (checked.ok) issues.push(...checkOverrideTypes(checked.value, `${path}.properties`));
      else issues.push(...checked.issues);
    } else {
      issues.push({ path: `${path}.type`, message: `unknown policy type ${JSON.stringify(policy.type)}; known types: ${policyTypes.join(', ')}` });
    }
  });
  const entries = policies.reduce((total, policy) => total + (policy.type === 'override' ? overrideEntryCount(policy.properties) : 0), 0);
  // One policy over the limit is reported at its own list; several that add up to more, here.
  const reported = issues.some((issue) => issue.message === limitMessages.overrideEntries);
  if (entries > MAX_OVERRIDE_ENTRIES && !reported) issues.push({ path: 'spec.policies', message: `${limitMessages.overrideEntries}; these hold ${entries}` });
  return issues;
}

function overrideEntryCount(properties: unknown): number {
  const components = (properties as { components?: unknown } | undefined)?.components;
  return Array.isArray(components) ? components.length : 0;
}

function checkOverrideTypes(override: OverrideProperties, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  override.components.forEach((entry, index) => {
    if (entry.type !== undefined && findComponentDefinition(entry.type) === undefined) {
      issues.push({ path: `${path}.components[${index}].type`, message: unknownComponentType(entry.type) });
    }
    (entry.traits ?? []).forEach((trait, traitIndex) => {
      if (findTraitDefinition(trait.type) === undefined) {
        issues.push({ path: `${path}.components[${index}].traits[${traitIndex}].type`, message: unknownTraitType(trait.type) });
      }
    });
  });
  return issues;
}

/** The parsed properties of a checked topology policy. */
export function topologyOf(policy: ApplicationPolicy, index: number): Topology {
  return { name: policy.name, properties: parseWith(TopologyProperties, policy.properties ?? {}, `${policyPath(index)}.properties`) };
}

/** The parsed properties of a checked override policy. */
export function overrideOf(policy: ApplicationPolicy, index: number): OverrideProperties {
  return parseWith(OverrideProperties, policy.properties ?? {}, `${policyPath(index)}.properties`);
}
