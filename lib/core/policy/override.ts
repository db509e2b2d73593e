import * as z from 'zod';
import type { ApplicationComponent, ApplicationTrait } from '../application/component.ts';
import { Properties } from '../application/component.ts';
import { isDnsLabel } from '../application/dns-name.ts';
import { limitMessages, MAX_OVERRIDE_ENTRIES } from '../application/limits.ts';
import { ValidationError } from '../errors/validation-error.ts';
import type { ClusterInfo } from './cluster-info.ts';
import { ClusterName } from './cluster-name.ts';
import { ClusterLabelSelector, inScope } from './cluster-selector.ts';
import { compileComponentPattern } from './component-pattern.ts';
import { mergeProperties } from './merge-properties.ts';

const OverrideTrait = z.strictObject({
  type: z.string().min(1),
  properties: Properties.optional(),
  /** Removes the trait; on a type the component does not have it does nothing. */
  disable: z.boolean().default(false),
});
type OverrideTrait = z.infer<typeof OverrideTrait>;

const OverrideEntry = z
  .strictObject({
    /** A pattern over component names (see compileComponentPattern); absent means every component. */
    name: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    properties: Properties.optional(),
    traits: z.array(OverrideTrait).optional(),
    /** Flotilla extension (kubevela#5735): apply this entry only in these clusters. */
    clusters: z.array(ClusterName).optional(),
    /** Flotilla extension (kubevela#5735): apply this entry only in clusters with these labels. */
    clusterLabelSelector: ClusterLabelSelector.optional(),
  })
  .superRefine((entry, context) => {
    if (entry.clusters !== undefined && entry.clusterLabelSelector !== undefined) {
      context.addIssue({ code: 'custom', path: ['clusterLabelSelector'], message: 'set clusters or clusterLabelSelector on an override entry, not both' });
    }
    const pattern = entry.name === undefined ? undefined : compileComponentPattern(entry.name);
    if (typeof pattern === 'string') context.addIssue({ code: 'custom', path: ['name'], message: pattern });
  });
export type OverrideEntry = z.infer<typeof OverrideEntry>;

export const OverrideProperties = z.strictObject({
  components: z.array(OverrideEntry).max(MAX_OVERRIDE_ENTRIES, limitMessages.overrideEntries),
  /** After patching, keep only the components named here. */
  selector: z.array(z.string()).optional(),
});
export type OverrideProperties = z.infer<typeof OverrideProperties>;

/** True when an entry is meant for `cluster`; entries scoped to clusters never apply when no cluster is given. */
export function entryApplies(entry: OverrideEntry, cluster: ClusterInfo | undefined): boolean {
  if (entry.clusters === undefined && entry.clusterLabelSelector === undefined) return true;
  return cluster !== undefined && inScope(cluster, entry);
}

/**
 * Applies one override policy to the components, as KubeVela's PatchComponents does:
 * - an entry without name patches every component (of its `type`, if it has one);
 * - a named entry patches the components its pattern matches, or replaces them when its `type` differs;
 * - a named entry that matches nothing adds a component of that name (Flotilla requires a plain DNS-1123 name);
 * - `selector` then keeps only the listed components, in their order.
 * Throws ValidationError (paths relative to the policy's properties) for an added component without a type.
 */
export function applyOverride(components: readonly ApplicationComponent[], override: OverrideProperties, cluster?: ClusterInfo): ApplicationComponent[] {
  const byName = new Map(components.map((component) => [component.name, component]));
  override.components.forEach((entry, index) => {
    if (!entryApplies(entry, cluster)) return;
    if (entry.name === undefined) {
      for (const [name, component] of byName) {
        if (entry.type === undefined || entry.type === component.type) byName.set(name, mergeComponent(component, entry));
      }
      return;
    }
    const pattern = compileComponentPattern(entry.name);
    if (typeof pattern === 'string') throw ValidationError.single(`components[${index}].name`, pattern);
    let matched = false;
    for (const [name, component] of byName) {
      if (!pattern.test(name)) continue;
      matched = true;
      const replacingType = entry.type !== undefined && entry.type !== component.type ? entry.type : undefined;
      byName.set(name, replacingType === undefined ? mergeComponent(component, entry) : componentFromEntry(name, replacingType, entry));
    }
    if (matched || !isDnsLabel(entry.name)) return;
    if (entry.type === undefined) {
      throw ValidationError.single(`components[${index}].type`, `no component is named ${entry.name}, so this entry adds one, and a new component needs a type`);
    }
    byName.set(entry.name, componentFromEntry(entry.name, entry.type, entry));
  });
  const kept = [...byName.values()];
  const { selector } = override;
  return selector === undefined ? kept : kept.filter((component) => selector.includes(component.name));
}

function mergeComponent(component: ApplicationComponent, entry: OverrideEntry): ApplicationComponent {
  const merged = { ...component };
  if (entry.properties !== undefined) merged.properties = mergeProperties(component.properties ?? {}, entry.properties);
  if (entry.traits !== undefined) merged.traits = mergeTraits(component.traits ?? [], entry.traits);
  return merged;
}

// Traits are keyed by type: a patch merges into the trait of its type, `disable` removes it, a new type is appended.
function mergeTraits(traits: readonly ApplicationTrait[], patches: readonly OverrideTrait[]): ApplicationTrait[] {
  const byType = new Map(traits.map((trait) => [trait.type, trait]));
  for (const patch of patches) {
    const existing = byType.get(patch.type);
    if (patch.disable) byType.delete(patch.type);
    else if (existing === undefined) byType.set(patch.type, traitFromPatch(patch));
    else if (patch.properties !== undefined) byType.set(patch.type, { ...existing, properties: mergeProperties(existing.properties ?? {}, patch.properties) });
  }
  return [...byType.values()];
}

function componentFromEntry(name: string, type: string, entry: OverrideEntry): ApplicationComponent {
  return {
    name,
    type,
    properties: structuredClone(entry.properties ?? {}),
    traits: (entry.traits ?? []).filter((trait) => !trait.disable).map(traitFromPatch),
  };
}

function traitFromPatch(patch: OverrideTrait): ApplicationTrait {
  return { type: patch.type, ...(patch.properties === undefined ? {} : { properties: structuredClone(patch.properties) }) };
}
