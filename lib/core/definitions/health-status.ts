import type { KubernetesObject } from '../object/kubernetes-object.ts';

/** What a definition says about the objects it rendered, as `vela status` shows it (`Healthy Ready:3/3`). */
export interface HealthStatus {
  healthy: boolean;
  message: string;
}

/**
 * The live objects a health rule looks at, named the way KubeVela's CUE templates name them: `output` is the live
 * workload, `outputs` the live auxiliary objects of the definition being checked, by output name (`service`, `ingress`).
 */
export interface HealthContext {
  appName: string;
  output: KubernetesObject;
  outputs: Readonly<Record<string, KubernetesObject>>;
}
