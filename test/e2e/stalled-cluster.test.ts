// One slow cluster never delays another: a member API server frozen with SIGSTOP (it accepts connections and never
// answers) while an application's orders are in flight there must not slow another application's deploy to a healthy
// cluster. A real process stopped by its PID against `npm start`; nothing stands in for it.
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { clustersDown, clustersUp } from '../../devenv/clusters/kwok.ts';
import { processesMatching } from '../../devenv/process.ts';
import { call, startControlPlane, type ControlPlane } from './control-plane.ts';

const suffix = Date.now().toString(36);
let plane: ControlPlane | undefined;
afterAll(async () => {
  await plane?.stop('SIGKILL');
});

async function join(name: string, kubeconfigFile: string): Promise<void> {
  const joined = await call(plane!, 'POST', '/clusters', { name, kubeconfig: await readFile(kubeconfigFile, 'utf8') });
  expect(joined.status, joined.text).toBe(201);
}

/** One Deployment (raw k8s-objects) on one cluster, in its own namespace created there. */
function application(namespace: string, cluster: string, replicas = 1) {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'crccheck/hello-world' }] } },
    },
  };
  return stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'stall-app', namespace },
    spec: {
      components: [{ name: 'web', type: 'k8s-objects', properties: { objects: [deployment] } }],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: [cluster], namespace, createNamespace: true } }],
      workflow: { steps: [{ name: 'ship', type: 'deploy', properties: { policies: ['here'] } }] },
    },
  });
}

async function submit(document: string): Promise<string> {
  const submitted = await call(plane!, 'POST', '/applications', document);
  expect(submitted.status, submitted.text).toBe(202);
  return submitted.body.revision;
}

async function finished(namespace: string, revision: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await call(plane!, 'GET', `/namespaces/${namespace}/applications/stall-app/status`);
    if (status.body?.workflow?.revision === revision && status.body.workflow.finished) return status.body;
    if (Date.now() > deadline) throw new Error(`workflow of ${revision} did not finish: ${status.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Seconds from submit to a finished, successful workflow. */
async function deployTime(namespace: string, cluster: string, replicas: number): Promise<number> {
  const started = Date.now();
  const revision = await submit(application(namespace, cluster, replicas));
  const status = await finished(namespace, revision);
  expect(status.workflow.steps.map((s: any) => s.phase), JSON.stringify(status.workflow)).toEqual(['succeeded']);
  return (Date.now() - started) / 1000;
}

describe('a stalled member cluster', () => {
  it("does not delay another application's deploy to a healthy cluster", async () => {
    // Drift correction every 2 s sends one batch of orders for both clusters, which the applier tends to receive
    // together: the frozen cluster's order then shares a batch with beijing-1's, ahead of B's deploys in its group.
    plane = await startControlPlane({ env: { DEFAULT_STEP_TIMEOUT_SECONDS: '120', DRIFT_INTERVAL_SECONDS: '2', FLOTILLA_REFRESH_SECONDS: '2' } });
    const name = `stall-${suffix}`;
    const [stalled] = await clustersUp([name]);
    let apiserver: number | undefined;
    try {
      await join('beijing-1', inject('clusterKubeconfigs')['beijing-1']!);
      await join(name, stalled!.kubeconfig);
      const appA = `stall-a-${suffix}`;
      const appA2 = `stall-a2-${suffix}`;
      const appB = `stall-b-${suffix}`;
      // A deployed while its cluster answers (its refresh and drift orders go there from now on); B once to warm the
      // connections, then measured.
      await deployTime(appA, name, 1);
      await deployTime(appB, 'beijing-1', 1);
      const normal = await deployTime(appB, 'beijing-1', 2);

      [apiserver] = (await processesMatching('kube-apiserver')).filter((p) => p.cmdline.includes(name)).map((p) => p.pid);
      expect(apiserver).toBeDefined();
      process.kill(apiserver!, 'SIGSTOP');
      // The next drift tick's orders for A hang on the frozen server, one of them in a batch with B's.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const times: number[] = [];
      for (let replicas = 3; replicas <= 5; replicas++) {
        times.push(await deployTime(appB, 'beijing-1', replicas));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      console.log(`B submit -> finished: normal ${normal.toFixed(2)} s; with ${name} stalled ${times.map((t) => t.toFixed(2)).join(' s, ')} s`);
      for (const took of times) expect(took).toBeLessThan(normal + 2);

      // A new deploy to the frozen cluster waits behind A's orders there; thawed, it finishes.
      const revisionA2 = await submit(application(appA2, name, 1));
      process.kill(apiserver!, 'SIGCONT');
      apiserver = undefined;
      const statusA2 = await finished(appA2, revisionA2, 90_000);
      expect(statusA2.workflow.steps.map((s: any) => s.phase)).toEqual(['succeeded']);
      for (const app of [appA, appA2, appB]) expect((await call(plane, 'DELETE', `/namespaces/${app}/applications/stall-app`)).status).toBe(202);
    } finally {
      if (apiserver !== undefined) process.kill(apiserver, 'SIGCONT');
      await clustersDown([name]);
    }
  });
});
