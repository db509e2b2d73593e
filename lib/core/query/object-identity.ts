import type { KubernetesObject } from '../object/kubernetes-object.ts';
import { OamLabel } from '../render/oam-labels.ts';

/** How every query answer names an object: kind, name, namespace when it has one, and the component that rendered it. */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  component?: string;
}

export function objectIdentity(object: KubernetesObject): ObjectIdentity {
  const component = object.metadata.labels?.[OamLabel.component];
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
    name: object.metadata.name,
    ...(component === undefined ? {} : { component }),
  };
}
