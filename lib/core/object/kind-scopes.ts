import * as z from 'zod';

/** Where a member cluster's discovery says a kind lives, or that it does not serve the kind at all. */
export const DiscoveredScope = z.enum(['namespaced', 'cluster', 'absent']);
export type DiscoveredScope = z.infer<typeof DiscoveredScope>;

export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** `example.com/v1/Widget`, `v1/ConfigMap`: the key discovery answers are held under. */
export function kindKey({ apiVersion, kind }: KindRef): string {
  return `${apiVersion}/${kind}`;
}

export function kindOfKey(key: string): KindRef {
  const slash = key.lastIndexOf('/');
  return { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1) };
}

/** Discovery's answers for one cluster, by `kindKey`. */
export type KindScopes = Readonly<Record<string, DiscoveredScope>>;

/** Discovery's answers by cluster name: what confinement takes as data instead of asking clusters itself. */
export type ClusterKindScopes = Readonly<Record<string, KindScopes>>;
