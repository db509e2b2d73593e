import { apiGroup, type KubernetesObject } from './kubernetes-object.ts';

/**
 * Kinds others depend on to be accepted at all: a Namespace before the objects in it, a CustomResourceDefinition before
 * its custom resources. Each gets a phase of its own, in this order; everything else is independent of everything else
 * (server-side apply takes references to objects not yet there) and goes in the last phase.
 */
const foundationKinds = ['/Namespace', 'apiextensions.k8s.io/CustomResourceDefinition'] as const;

type KindOf = Pick<KubernetesObject, 'apiVersion' | 'kind'>;
const groupKind = (object: KindOf) => `${apiGroup(object.apiVersion)}/${object.kind}`;

/**
 * A target's objects in the phases they are applied in: each phase after the previous one has been applied, the objects
 * of one phase side by side. Within a phase the rendered order is kept, which is the order failures are reported in.
 * Empty phases are left out.
 */
export function applyPhases<T extends KindOf>(objects: readonly T[]): T[][] {
  const phases: T[][] = [...foundationKinds.map(() => []), []];
  for (const object of objects) {
    const index = foundationKinds.indexOf(groupKind(object) as (typeof foundationKinds)[number]);
    phases[index < 0 ? foundationKinds.length : index]!.push(object);
  }
  return phases.filter((phase) => phase.length > 0);
}

export function isCustomResourceDefinition(object: KindOf): boolean {
  return groupKind(object) === foundationKinds[1];
}

/** A CRD whose API the server serves: its custom resources are accepted from now on (until then they are a 404). */
export function isEstablished(live: KubernetesObject | undefined): boolean {
  const conditions = (live as { status?: { conditions?: unknown } } | undefined)?.status?.conditions;
  return Array.isArray(conditions) && conditions.some((c: { type?: unknown; status?: unknown }) => c?.type === 'Established' && c.status === 'True');
}
