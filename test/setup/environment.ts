import type { TestProject } from 'vitest/node';
import { holdClusters, releaseClusters } from '../../devenv/clusters/holders.ts';
import { clustersDown, clustersUp } from '../../devenv/clusters/kwok.ts';
import { ensureMoto } from '../../devenv/moto.ts';

/** The seed article's member clusters. */
export const memberClusters = ['beijing-1', 'beijing-2', 'us-west-1'];

/**
 * Global setup of the integration and e2e projects: real member clusters and moto. A running environment (from
 * `npm run clusters -- up`, `npm run moto -- up` or the other project's setup) is reused and left running; whatever this
 * setup started itself is stopped at teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => console.error(`[environment] ${line}`);
  holdClusters();
  const [moto, clusters] = await Promise.all([ensureMoto(), clustersUp(memberClusters, log)]);
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('clusterKubeconfigs', Object.fromEntries(clusters.map((c) => [c.name, c.kubeconfig])));
  return async () => {
    // Another run side by side still using them keeps them up; the clusters' own lock orders the two.
    const othersHold = releaseClusters();
    const started = othersHold ? [] : clusters.filter((c) => c.started).map((c) => c.name);
    // stop() releases this run's hold on moto; moto stops only when no other live process holds it.
    await Promise.all([moto.stop(), started.length ? clustersDown(started) : undefined]);
  };
}
