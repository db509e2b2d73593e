import { KubernetesObject } from '../../core/object/kubernetes-object.ts';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}


/** What the workflow engine needs from a member cluster. Implemented against the real API by `connectCluster`. */
export interface ClusterClient {
  /** Server-side apply, forcing ownership of the fields Flotilla sets. Returns the live object. */
  apply(object: KubernetesObject): Promise<KubernetesObject>;
  /** The live object, or undefined when it does not exist. */
  read(ref: ObjectRef): Promise<KubernetesObject | undefined>;
  /**
   * Deletes in the background; `absent` when it was already gone. With `resourceVersion`, only that version (a 409
   * ClusterError otherwise): what was checked before is what goes.
   */
  delete(ref: ObjectRef, precondition?: { resourceVersion: string }): Promise<'deleted' | 'absent'>;
  ensureNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  serverVersion(): Promise<string>;
}
