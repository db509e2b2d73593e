import { componentHealth } from '../../core/health/component-health.ts';
import type { ClusterClient } from '../ports/cluster-client.ts';
import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import type { TargetHealthDetail } from '../../core/run/health-detail.ts';
import type { InlinePayload } from './target-payload.ts';
import { eachBounded } from './each-bounded.ts';

/** Reads of one target's objects under way at once. */
const objectsReadAtOnce = 8;

export interface TargetHealth {
  healthy: boolean;
  detail: TargetHealthDetail;
  /** Why the target is not healthy yet, e.g. `hello-world-server: Ready:1/3`. */
  waitingFor: string;
}

/**
 * Reads every rendered object back from the cluster (side by side, in one round trip's time) and applies each
 * definition's health rule to it. A workload's rule counts it healthy only from status its controller wrote for the
 * latest generation (observedGeneration), so a reading taken right after an apply never reports the old rollout.
 */
export async function readTargetHealth(client: ClusterClient, payload: InlinePayload, appName: string, now: Date): Promise<TargetHealth> {
  const found: (KubernetesObject | undefined)[] = [];
  await eachBounded([...payload.resources.keys()], objectsReadAtOnce, async (index) => {
    found[index] = await client.read(payload.resources[index]!);
  });
  const live = found.filter((object): object is KubernetesObject => object !== undefined);
  const services = payload.components.map((component) => {
    const health = componentHealth({ appName, component, rendered: payload.resources, live });
    return { component: component.name, type: component.type, ...health };
  });
  const waiting = services.filter((s) => !s.healthy).map((s) => {
    const trait = s.traits.find((t) => !t.healthy);
    // A ready workload is waiting on a trait: name the trait rather than repeat `Ready:3/3`.
    return `${s.component}: ${trait && isReady(s.message) ? `${trait.type} ${trait.message}` : s.message}`;
  });
  return {
    healthy: waiting.length === 0,
    detail: { services, checkedAt: now.toISOString() },
    waitingFor: waiting.join('; '),
  };
}

function isReady(message: string): boolean {
  const match = /^Ready:(\d+)\/(\d+)$/.exec(message);
  return match !== null && match[1] === match[2];
}
