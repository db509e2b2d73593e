// The engine's door to a member cluster, against a real API server.
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { freeLoopbackPort } from '../../../devenv/process.ts';
import { connectCluster } from '../../../lib/adapters/kubernetes/cluster-client.ts';
import { withRecordBudget } from '../../../lib/adapters/sqs/record-budget.ts';
import { createServer, type Socket } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultEndpointPolicy, localEndpointPolicy } from '../../../lib/core/cluster/endpoint-policy.ts';
import { ClusterError } from '../../../lib/engine/ports/cluster-error.ts';
import type { KubernetesObject } from '../../../lib/core/object/kubernetes-object.ts';

function client(cluster = 'beijing-2', timeoutMs?: number) {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('clusterKubeconfigs')[cluster]!);
  return connectCluster(kc, { timeoutMs, policy: localEndpointPolicy });
}

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

function configMap(name: string, namespace: string, data: Record<string, string>): KubernetesObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data } as KubernetesObject;
}

describe('cluster client on a real API server', () => {
  it('applies, reads back, re-applies idempotently and deletes an object', async () => {
    const c = client();
    const name = unique('cc');
    const applied = await c.apply(configMap(name, 'default', { a: '1' }));
    expect((applied as { data?: Record<string, string> }).data).toEqual({ a: '1' });
    const managers = (applied.metadata as { managedFields?: { manager: string }[] }).managedFields?.map((f) => f.manager);
    expect(managers).toEqual(['flotilla']);

    const again = await c.apply(configMap(name, 'default', { a: '2' }));
    expect((again as { data?: Record<string, string> }).data).toEqual({ a: '2' });
    const live = await c.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    expect((live as { data?: Record<string, string> } | undefined)?.data).toEqual({ a: '2' });

    expect(await c.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } })).toBe('deleted');
    expect(await c.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } })).toBeUndefined();
    expect(await c.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } })).toBe('absent');
  });

  it('fails permanently with the API server words when the namespace is missing, until it is created', async () => {
    const c = client();
    const ns = unique('ns');
    const error = await c.apply(configMap('x', ns, {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as ClusterError).retryable).toBe(false);
    expect((error as ClusterError).status).toBe(404);
    expect((error as ClusterError).message).toBe(`apply ConfigMap ${ns}/x: namespaces "${ns}" not found`);

    await c.ensureNamespace(ns);
    await c.ensureNamespace(ns); // idempotent
    await expect(c.apply(configMap('x', ns, {}))).resolves.toBeDefined();
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });

  it('rejects an invalid object permanently', async () => {
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Bad_Name', namespace: 'default' }, spec: {} };
    const error = (await client().apply(bad as KubernetesObject).catch((e: unknown) => e)) as ClusterError;
    expect(error).toBeInstanceOf(ClusterError);
    expect(error.retryable).toBe(false);
    expect([400, 422]).toContain(error.status);
    expect(error.message).toMatch(/^apply Deployment default\/Bad_Name: .*Bad_Name/);
  });

  it("answers where kinds live from the cluster's discovery: namespaced, cluster-scoped, or not served", async () => {
    const c = client();
    const kinds = [
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { apiVersion: 'v1', kind: 'Namespace' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'apps/v1', kind: 'Gadget' },
      { apiVersion: 'v2', kind: 'ConfigMap' },
      { apiVersion: `${unique('g')}.test.flotilla.dev/v1`, kind: 'Widget' },
    ];
    const answers = await c.kindScopes(kinds);
    expect(Object.values(answers)).toEqual(['namespaced', 'cluster', 'cluster', 'namespaced', 'absent', 'absent', 'absent']);
    expect(Object.keys(answers)).toEqual(kinds.map((kind) => `${kind.apiVersion}/${kind.kind}`));
  });

  it('reports the server version', async () => {
    expect(await client('us-west-1').serverVersion()).toBe('v1.34.4');
  });

  it('treats an unreachable cluster as retryable and fails fast', async () => {
    const kc = new KubeConfig();
    const port = await freeLoopbackPort(); // free a moment ago, so nothing listens there
    kc.loadFromClusterAndUser({ name: 'dead', server: `https://127.0.0.1:${port}`, skipTLSVerify: true }, { name: 'dead-user', token: 't' });
    const started = Date.now();
    const error = (await connectCluster(kc, { timeoutMs: 2_000, policy: localEndpointPolicy }).serverVersion().catch((e: unknown) => e)) as ClusterError;
    expect(error).toBeInstanceOf(ClusterError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("ends a request to a stalled cluster when the SQS record's budget is spent, well before its own timeout", async () => {
    // Accepts connections and never answers, as a SIGSTOPped kube-apiserver does (the kernel still completes the TCP handshake).
    const sockets: Socket[] = [];
    const stalled = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = stalled.address() as { port: number };
      const kc = new KubeConfig();
      kc.loadFromClusterAndUser({ name: 'stalled', server: `https://127.0.0.1:${port}`, skipTLSVerify: true }, { name: 'stalled-user', token: 't' });
      const cluster = connectCluster(kc, { timeoutMs: 15_000, policy: localEndpointPolicy });
      const started = Date.now();
      const error = (await withRecordBudget(AbortSignal.timeout(500), () => cluster.serverVersion()).catch((e: unknown) => e)) as ClusterError;
      expect(error).toBeInstanceOf(ClusterError);
      expect(error.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      stalled.close();
    }
  });

  it('never follows a redirect: the applier ends the request on the 3xx and the redirect target is never reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-redirect-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };
    rmSync(dir, { recursive: true, force: true });
    let targetHits = 0;
    const target = createHttpsServer(tls, (_req, res) => {
      targetHits += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"major":"1","minor":"34","gitVersion":"v1.34.4"}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as { port: number }).port;
    const redirector = createHttpsServer(tls, (req, res) => res.writeHead(307, { location: `https://127.0.0.1:${targetPort}${req.url ?? '/'}` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const kc = new KubeConfig();
      kc.loadFromClusterAndUser({ name: 'redirects', server: `https://127.0.0.1:${(redirector.address() as { port: number }).port}`, skipTLSVerify: true }, { name: 'u', token: 't' });
      const cluster = connectCluster(kc, { timeoutMs: 5_000, policy: localEndpointPolicy });
      for (const attempt of [() => cluster.serverVersion(), () => cluster.apply(configMap('x', 'default', { a: '1' }))]) {
        const error = (await attempt().catch((e: unknown) => e)) as ClusterError;
        expect(error).toBeInstanceOf(ClusterError);
        expect(error.retryable).toBe(false);
        expect(error.message).toMatch(/a redirect \(HTTP 307\), which Flotilla does not follow/);
      }
      expect(targetHits).toBe(0);
    } finally {
      redirector.close();
      target.close();
    }
  });

  it('refuses a loopback endpoint under the AWS policy before connecting, and metadata addresses under any policy', async () => {
    let connections = 0;
    const listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const kc = new KubeConfig();
      kc.loadFromClusterAndUser({ name: 'loop', server: `https://127.0.0.1:${(listener.address() as { port: number }).port}`, skipTLSVerify: true }, { name: 'u', token: 't' });
      const refused = (await connectCluster(kc, { policy: defaultEndpointPolicy }).serverVersion().catch((e: unknown) => e)) as ClusterError;
      expect(refused).toBeInstanceOf(ClusterError);
      expect(refused.retryable).toBe(false);
      expect(refused.message).toMatch(/is a loopback address, which this deployment does not allow \(CLUSTER_ENDPOINT_ALLOW_LOOPBACK\)/);
      expect(connections).toBe(0);

      const metadata = new KubeConfig();
      metadata.loadFromClusterAndUser({ name: 'imds', server: 'https://169.254.169.254', skipTLSVerify: true }, { name: 'u', token: 't' });
      const imds = (await connectCluster(metadata, { policy: localEndpointPolicy }).serverVersion().catch((e: unknown) => e)) as ClusterError;
      expect(imds.message).toMatch(/169\.254\.169\.254 is a cloud metadata address/);
    } finally {
      listener.close();
    }
  });
});
