import { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import type { KindRef, KindScopes } from '../../core/object/kind-scopes.ts';

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
  /**
   * What the cluster's discovery (`/api/v1`, `/apis/<group>/<version>`) says about each kind, by `kindKey`: namespaced,
   * cluster-scoped, or absent (the version or the kind is not served). Answers are cached briefly per client, which is
   * one per credential version; each request is bounded by the client's timeout.
   */
  kindScopes(kinds: readonly KindRef[]): Promise<KindScopes>;
  /** Server-side apply with `dryRun=All`: the object as the cluster would store it, nothing persisted. */
  dryRunApply(object: KubernetesObject): Promise<KubernetesObject>;
  /** Objects of one kind in one namespace, at most `limit`, optionally by label selector (`a=b,c=d`). */
  list(apiVersion: string, kind: string, namespace: string, options?: { labelSelector?: string; limit?: number }): Promise<KubernetesObject[]>;
  /** One container's log: the last `tailLines` lines, at most `limitBytes`, optionally only the last `sinceSeconds`. */
  podLog(namespace: string, pod: string, container: string, options: PodLogOptions): Promise<string>;
}

export interface PodLogOptions {
  tailLines: number;
  limitBytes: number;
  sinceSeconds?: number;
}
