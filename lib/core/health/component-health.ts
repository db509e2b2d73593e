import { componentDefinition, traitDefinition } from '../definitions/registry.ts';
import { describeObject, objectKey, type KubernetesObject } from '../object/kubernetes-object.ts';
import { AUXILIARY_WORKLOAD, resourceOwner } from '../render/oam-labels.ts';
import type { PlacedComponent } from '../workflow/workflow-plan.ts';
import type { HealthContext, HealthStatus } from '../definitions/health-status.ts';

export interface TraitHealth extends HealthStatus {
  type: string;
}

/** One component's health in one place, as `vela status` reports a service: its own line and one per trait. */
export interface ComponentHealth extends HealthStatus {
  traits: TraitHealth[];
}

export interface HealthInput {
  appName: string;
  component: PlacedComponent;
  /** The objects planned for the placement (all components' are fine: they are told apart by their OAM labels). */
  rendered: readonly KubernetesObject[];
  /** The same objects as read back from the cluster; a missing one counts as not created yet. */
  live: readonly KubernetesObject[];
}

/**
 * Evaluates the component's and each trait's health rule on the live objects. The component is healthy only when its
 * own rule and every trait's rule hold; its message is the component's (`Ready:3/3`). An object not found in the
 * cluster makes its owner unhealthy, with a message naming it.
 */
export function componentHealth(input: HealthInput): ComponentHealth {
  const { component, appName } = input;
  const liveByKey = new Map(input.live.map((object) => [objectKey(object), object]));
  const owned = input.rendered.flatMap((object) => {
    const owner = resourceOwner(object);
    return owner !== undefined && owner.component === component.name ? [{ object, owner, live: liveByKey.get(objectKey(object)) }] : [];
  });
  const workload = owned.find((entry) => entry.owner.resourceType === 'WORKLOAD');
  if (workload === undefined) throw new Error(`the rendered objects hold no workload of component ${component.name}`);
  const outputsOf = (traitType: string) => owned.filter((entry) => entry.owner.resourceType === 'TRAIT' && entry.owner.traitType === traitType);

  const evaluate = (outputs: typeof owned, rule: (context: HealthContext) => HealthStatus): HealthStatus => {
    const missing = [workload, ...outputs].find((entry) => entry.live === undefined);
    if (missing !== undefined || workload.live === undefined) return { healthy: false, message: `${describeObject((missing ?? workload).object)} not found` };
    const named: Record<string, KubernetesObject> = {};
    for (const entry of outputs) if (entry.live !== undefined && entry.owner.resourceType === 'TRAIT') named[entry.owner.traitResource] = entry.live;
    return rule({ appName, output: workload.live, outputs: named });
  };

  const own = evaluate(outputsOf(AUXILIARY_WORKLOAD), componentDefinition(component.type).health);
  const traits = component.traits.map((type) => ({ type, ...evaluate(outputsOf(type), traitDefinition(type).health) }));
  return { healthy: own.healthy && traits.every((trait) => trait.healthy), message: own.message, traits };
}
