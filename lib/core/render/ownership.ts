import { describeObject, type KubernetesObject } from '../object/kubernetes-object.ts';
import { OamLabel } from './oam-labels.ts';

/**
 * The annotation by which an application opts in to adopting objects that exist already without any application's
 * labels (KubeVela's `take-over` policy, here for all resource types). Rendering copies the Application's
 * annotations onto every object, so it can be set for the whole application or on one object with the `annotations`
 * trait; the applier reads it from the rendered object, so no other record has to carry it.
 */
export const TakeOverAnnotation = 'flotilla.dev/take-over';

export interface ApplicationRef {
  namespace: string;
  name: string;
}

export type Ownership =
  /** Nobody else's: absent, or already labelled as this application's. */
  | { verdict: 'own' }
  /** Exists without any application's labels and the rendered object opts in: applying labels it as ours. */
  | { verdict: 'adopt' }
  | { verdict: 'refuse'; message: string };

/** The application a live object's labels name, or undefined when it carries neither OAM ownership label. */
export function labelledOwner(live: KubernetesObject): { namespace: string | undefined; name: string | undefined } | undefined {
  const labels = live.metadata.labels ?? {};
  const name = labels[OamLabel.appName];
  const namespace = labels[OamLabel.appNamespace];
  return name === undefined && namespace === undefined ? undefined : { namespace, name };
}

/**
 * May `app` apply `desired` over `live`? KubeVela's resourcekeeper rule: an object labelled as another application's
 * is never applied over, and one no application manages is refused unless the application takes it over. Both
 * labels must match: two teams may name their applications alike in different namespaces.
 */
export function applyOwnership(live: KubernetesObject | undefined, desired: KubernetesObject, app: ApplicationRef): Ownership {
  if (live === undefined) return { verdict: 'own' };
  const owner = labelledOwner(live);
  if (owner === undefined) {
    if (desired.metadata.annotations?.[TakeOverAnnotation] === 'true') return { verdict: 'adopt' };
    return {
      verdict: 'refuse',
      message: `existing object ${describeObject(live)} is not managed by any application (annotate the application ${TakeOverAnnotation}: "true" to take it over)`,
    };
  }
  if (owner.namespace === app.namespace && owner.name === app.name) return { verdict: 'own' };
  return { verdict: 'refuse', message: `existing object ${describeObject(live)} is managed by other application ${owner.namespace ?? ''}/${owner.name ?? ''}` };
}

/**
 * May `app` delete `live`? Only an object labelled as its own: one labelled as another application's, or one with no
 * application's labels (an apply of ours was refused on it, though its reference was recorded first), is left alone.
 * Returns why not, or undefined when it may.
 */
export function deleteRefusal(live: KubernetesObject, app: ApplicationRef): string | undefined {
  const owner = labelledOwner(live);
  if (owner === undefined) return `${describeObject(live)} is not managed by any application`;
  if (owner.namespace === app.namespace && owner.name === app.name) return undefined;
  return `${describeObject(live)} is managed by other application ${owner.namespace ?? ''}/${owner.name ?? ''}`;
}
