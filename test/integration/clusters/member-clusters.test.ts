import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { ingressAddress } from '../../../devenv/clusters/kwok.ts';

interface Deployment extends KubernetesObject {
  spec: { replicas: number };
  status?: { readyReplicas?: number; replicas?: number };
}

function objectApi(kubeconfigPath: string): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return KubernetesObjectApi.makeApiClient(kc);
}

function deployment(name: string, namespace: string, replicas: number): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: 'crccheck/hello-world', ports: [{ containerPort: 8000 }] }] } },
    } as Deployment['spec'],
  };
}

const serverSideApply = (api: KubernetesObjectApi, obj: KubernetesObject) =>
  api.patch(obj, undefined, undefined, 'flotilla', true, PatchStrategy.ServerSideApply);

async function waitForReadyReplicas(api: KubernetesObjectApi, obj: Deployment, want: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let ready = 0;
  while (Date.now() < deadline) {
    const live = await api.read<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: obj.metadata as { name: string; namespace: string } });
    ready = live.status?.readyReplicas ?? 0;
    if (ready === want) return ready;
    await sleep(500);
  }
  return ready;
}

describe('real member clusters (kube-apiserver + controller-manager + scheduler + etcd, kwok nodes)', () => {
  const kubeconfigs = inject('clusterKubeconfigs');

  it('runs the three seed clusters', () => {
    expect(Object.keys(kubeconfigs).sort()).toEqual(['beijing-1', 'beijing-2', 'us-west-1']);
  });

  it.each(['beijing-1', 'beijing-2', 'us-west-1'])(
    'server-side-applies a 3-replica Deployment on %s and it reaches readyReplicas 3',
    async (cluster) => {
      const api = objectApi(kubeconfigs[cluster]!);
      const obj = deployment(`env-check-${Date.now().toString(36)}`, 'default', 3);
      const applied = await serverSideApply(api, obj);
      expect(applied.metadata?.managedFields?.map((f) => f.manager)).toContain('flotilla');
      expect(await waitForReadyReplicas(api, obj, 3, 90_000)).toBe(3);
      await api.delete(obj);
    },
  );

  it('simulates an ingress load balancer: an Ingress gets a per-cluster address from TEST-NET-1', async () => {
    const api = objectApi(kubeconfigs['us-west-1']!);
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `lb-check-${Date.now().toString(36)}`, namespace: 'default' },
      spec: { rules: [{ host: 'lb.example.com', http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
    };
    await serverSideApply(api, ingress);
    let ip: string | undefined;
    for (let i = 0; i < 60 && !ip; i++) {
      const live = await api.read<KubernetesObject & { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }>(ingress);
      ip = live.status?.loadBalancer?.ingress?.[0]?.ip;
      if (!ip) await sleep(250);
    }
    expect(ip).toBe(ingressAddress('us-west-1'));
    await api.delete(ingress);
  });

  it('refuses an apply into a missing namespace with the API server own not-found error', async () => {
    const api = objectApi(kubeconfigs['beijing-1']!);
    const error = await serverSideApply(api, deployment('hello', 'multi-cluster', 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    const apiError = error as ApiException<string>;
    expect(apiError.code).toBe(404);
    expect(String(apiError.body)).toContain('namespaces \\"multi-cluster\\" not found');
  });
});
