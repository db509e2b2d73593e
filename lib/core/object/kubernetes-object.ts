import * as z from 'zod';

export const ObjectMeta = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** Any Kubernetes object as plain JSON: the fields every object has are typed, the rest is carried as it is. */
export const KubernetesObject = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: ObjectMeta,
});
export type KubernetesObject = z.infer<typeof KubernetesObject>;

/** `apps` for `apps/v1`, `` for the core group's `v1`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Identifies an object inside one cluster. The API version is left out on purpose: a live object read back through
 * another version of the same group is still the same object.
 */
export function objectKey(object: KubernetesObject): string {
  return `${apiGroup(object.apiVersion)}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** `Deployment default/web`, `Namespace prod`: how objects are named in messages. */
export function describeObject(object: KubernetesObject): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
}
