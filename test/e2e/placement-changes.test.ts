// Garbage collection works from what the clusters hold, whatever took a cluster out of a placement: here a label
// removed from a cluster that a topology selected by label. Against `npm start` over HTTP, read back from the clusters.
import { KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { connectCluster } from '../../lib/adapters/kubernetes/cluster-client.ts';
import { pollUntil } from '../../devenv/process.ts';
import { readyReplicas, seedDocument } from '../integration/engine/engine-harness.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';

const suffix = Date.now().toString(36);
let plane: ControlPlane | undefined;
afterAll(async () => {
  await plane?.stop();
});

function cluster(name: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')[name]!);
  return connectCluster(kc, { policy: localEndpointPolicy });
}

describe('placement changes', () => {
  it('a cluster that stops matching a label selector loses the application once the re-run succeeds', async () => {
    plane = await startControlPlane();
    for (const name of ['beijing-1', 'beijing-2', 'us-west-1']) {
      const kubeconfig = await readFile(inject('clusterKubeconfigs')[name]!, 'utf8');
      const joined = await call(plane, 'POST', '/clusters', { name, kubeconfig, ...(name === 'beijing-1' ? {} : { labels: { provider: 'AWS' } }) });
      expect(joined.status, joined.text).toBe(201);
    }
    const namespace = `unlabelled-${suffix}`;
    const submitted = await call(plane, 'POST', '/applications', stringify(await seedDocument('intermediate', namespace)));
    expect(submitted.status, submitted.text).toBe(202);
    expect(await pollUntil(async () => (await readyReplicas(cluster('us-west-1'), namespace, 'hello-world-server')) === 3, 90_000, 250)).toBe(true);

    const unlabelled = await call(plane, 'DELETE', '/clusters/us-west-1/labels?keys=provider');
    expect(unlabelled.status, unlabelled.text).toBe(200);
    expect(unlabelled.body.reruns).toHaveLength(1);
    // The selector still matches beijing-2, so the re-run succeeds; it places beijing-1 and beijing-2 only, and 
    // its garbage collection removes what us-west-1 still holds.
    const removed = await pollUntil(async () => (await readyReplicas(cluster('us-west-1'), namespace, 'hello-world-server')) === undefined, 90_000, 250);
    expect(removed, JSON.stringify((await call(plane, "GET", `/namespaces/${namespace}/applications/example-app/status`)).body)).toBe(true);
    expect(await readyReplicas(cluster('beijing-1'), namespace, 'hello-world-server')).toBe(3);
    expect(await readyReplicas(cluster('beijing-2'), namespace, 'hello-world-server')).toBe(3);
    const status = await call(plane, 'GET', `/namespaces/${namespace}/applications/example-app/status`);
    expect(status.body.services.map((s: { cluster: string }) => s.cluster)).toEqual(['beijing-1', 'beijing-2']);
  });
});
