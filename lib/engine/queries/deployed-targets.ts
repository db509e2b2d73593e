import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { TargetHealthDetail, type ServiceHealthDetail } from '../../core/run/health-detail.ts';
import type { Store } from '../ports/store.ts';
import { resolvePayload } from '../applier/target-payload.ts';

export interface DeployedTarget {
  cluster: string;
  namespace: string;
  /** What the planner rendered for the target, which the applier applied. */
  resources: KubernetesObject[];
  /** The health the applier read last, by component. */
  services: ServiceHealthDetail[];
}

export interface Deployment {
  /** `<app>-v<N>` of the newest run; undefined before any run. */
  revision: string | undefined;
  targets: DeployedTarget[];
}

/**
 * What the newest run put where, from the records alone: its targets with their rendered objects and health. A
 * later step's target in the same (cluster, namespace) replaces an earlier one's, as its objects do in the cluster.
 */
export async function loadDeployment(store: Store, namespace: string, name: string): Promise<Deployment> {
  const [run] = await store.runs.listForApplication(namespace, name);
  if (run === undefined) return { revision: undefined, targets: [] };
  const order = new Map(run.steps.map((step, index) => [step.id, index]));
  const records = (await store.targets.listForRun(run.runId)).sort((a, b) => (order.get(a.stepId) ?? 0) - (order.get(b.stepId) ?? 0));
  const targets = new Map<string, DeployedTarget>();
  for (const record of records) {
    if (record.payload === undefined) continue;
    const payload = await resolvePayload({ store }, record.payload);
    const health = TargetHealthDetail.safeParse(record.detail);
    const key = `${record.cluster}\u0000${record.namespace}`;
    const previous = targets.get(key);
    targets.set(key, {
      cluster: record.cluster,
      namespace: record.namespace,
      resources: mergeResources(previous?.resources ?? [], payload.resources),
      services: health.success ? health.data.services : (previous?.services ?? []),
    });
  }
  return { revision: run.revisionName, targets: [...targets.values()] };
}

function mergeResources(before: KubernetesObject[], after: KubernetesObject[]): KubernetesObject[] {
  const names = (object: KubernetesObject) => `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  const later = new Set(after.map(names));
  return [...before.filter((object) => !later.has(names(object))), ...after];
}
