/**
 * Bounds on what one Application may hold, so that checking and planning it stays small whatever a tenant submits
 * (issue 12: 5 topologies × 20 components × 20 override entries took 5 s to check before these bounds). Each refusal
 * names its limit. `npm run bench:patterns` plans an Application at every limit at once.
 */
export const MAX_COMPONENTS = 50;
export const MAX_POLICIES = 20;
/** Override entries of all override policies of the application together (each policy also at most this many). */
export const MAX_OVERRIDE_ENTRIES = 50;
export const MAX_STEPS = 10;
/** Objects of one k8s-objects component. */
export const MAX_OBJECTS = 100;
/** Triggers of one application (integrations/triggers). */
export const MAX_TRIGGERS_PER_APPLICATION = 20;
/**
 * Clusters one deploy step may apply at once (`parallelism`). Unset means no limit: every placed cluster at once.
 * Ten thousand is well above any registry Flotilla plans for; a larger number would mean the same as unset.
 */
export const MAX_PARALLELISM = 10_000;
/** Objects one target (one cluster and namespace of a deploy step) receives from all its components together. */
export const MAX_OBJECTS_PER_TARGET = 500;

export const limitMessages = {
  components: `an application can hold at most ${MAX_COMPONENTS} components (MAX_COMPONENTS)`,
  policies: `an application can hold at most ${MAX_POLICIES} policies (MAX_POLICIES)`,
  overrideEntries: `an application's override policies can hold at most ${MAX_OVERRIDE_ENTRIES} entries together (MAX_OVERRIDE_ENTRIES)`,
  steps: `a workflow can hold at most ${MAX_STEPS} steps (MAX_STEPS)`,
  objects: `a k8s-objects component can hold at most ${MAX_OBJECTS} objects (MAX_OBJECTS)`,
  objectsPerTarget: `a target (one cluster and namespace of a deploy step) can receive at most ${MAX_OBJECTS_PER_TARGET} objects (MAX_OBJECTS_PER_TARGET)`,
  triggers: `an application can have at most ${MAX_TRIGGERS_PER_APPLICATION} triggers (MAX_TRIGGERS_PER_APPLICATION); remove one first`,
} as const;
