import type { Application } from '../application/application.ts';
import { TopologyProperties } from '../policy/topology.ts';

/** The Application's topology policies, each with its index in `spec.policies`: where refusals point. */
export function topologiesOf(app: Application): { index: number; properties: TopologyProperties }[] {
  return (app.spec.policies ?? []).flatMap((policy, index) => {
    if (policy.type !== 'topology') return [];
    const parsed = TopologyProperties.safeParse(policy.properties ?? {});
    return parsed.success ? [{ index, properties: parsed.data }] : [];
  });
}
