import { freeLoopbackPort } from '../../../devenv/process.ts';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClusterConnections } from '../../../lib/adapters/kubernetes/cluster-connections.ts';
import { ClusterInUseError, UnknownClusterError } from '../../../lib/core/cluster/cluster-errors.ts';
import { ClusterRegistry } from '../../../lib/engine/clusters/cluster-registry.ts';
import { ValidationError } from '../../../lib/core/errors/validation-error.ts';
import type { CredentialCipher } from '../../../lib/engine/ports/credential-cipher.ts';
import { KeyFileCredentialCipher } from '../../../lib/adapters/secrets/key-file-cipher.ts';
import { KmsCredentialCipher } from '../../../lib/adapters/secrets/kms-cipher.ts';
import { ConflictError } from '../../../lib/engine/ports/conflict-error.ts';
import { clusterKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { dynamoBackends, motoKms, useStoreOn } from '../store/backends.ts';
import { reachCluster } from '../../../lib/adapters/kubernetes/cluster-reach.ts';
import { localEndpointPolicy } from '../../../lib/core/cluster/endpoint-policy.ts';

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: Record<string, string> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

const kubeconfigPaths = inject('clusterKubeconfigs');
const readKubeconfig = async (cluster: string) => readFile(kubeconfigPaths[cluster]!, 'utf8');
const suffix = randomBytes(3).toString('hex');

function adminApi(cluster: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths[cluster]!);
  return kc.makeApiClient(CoreV1Api);
}

/** A kubeconfig for `server` with a ServiceAccount token, trusting the member cluster's CA. */
function tokenKubeconfig(base: Kubeconfig, token: string, server = base.clusters[0]!.cluster.server): string {
  const ca = base.clusters[0]!.cluster['certificate-authority-data'];
  return JSON.stringify({
    clusters: [{ name: 'member', cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name: 'robot', user: { token } }],
    contexts: [{ name: 'member', context: { cluster: 'member', user: 'robot' } }],
    'current-context': 'member',
  });
}

async function serviceAccountToken(cluster: string, name: string): Promise<string> {
  const api = adminApi(cluster);
  await api.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name } } });
  const request = await api.createNamespacedServiceAccountToken({ name, namespace: 'default', body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = request.status?.token;
  if (!token) throw new Error('the TokenRequest came back without a token');
  return token;
}

/** A loopback TCP relay to a cluster's API server, to make a joined cluster unreachable on demand. */
async function relayTo(server: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const target = new URL(server);
  const sockets = new Set<Socket>();
  const relay: Server = createServer((incoming) => {
    const outgoing = connect(Number(target.port), target.hostname);
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address() as { port: number };
  return {
    endpoint: `https://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        relay.close(() => resolve());
      }),
  };
}


async function refusal(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a refusal');
  return outcome;
}

const ciphers: Record<string, () => Promise<{ cipher: CredentialCipher; close(): Promise<void> }>> = {
  moto: async () => {
    const kms = motoKms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'flotilla registry test' }));
    return { cipher: new KmsCredentialCipher(kms, KeyMetadata!.KeyId!), close: async () => kms.destroy() };
  },
  dynalite: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-registry-'));
    return { cipher: new KeyFileCredentialCipher(join(dir, 'master.key')), close: () => rm(dir, { recursive: true, force: true }) };
  },
};

describe.each(dynamoBackends)('cluster registry on $name with real member clusters', ({ name: backendName, open }) => {
  const fixture = useStoreOn(open);
  let registry: ClusterRegistry;
  let connections: ClusterConnections;
  let closeCipher: () => Promise<void>;
  const namespace = `flotilla-join-${backendName}-${suffix}`;
  const serviceAccount = `flotilla-${backendName}-${suffix}`;

  beforeAll(async () => {
    const { cipher, close } = await ciphers[backendName]!();
    closeCipher = close;
    registry = new ClusterRegistry({ clusters: fixture.store.clusters, inventories: fixture.store.inventories, cipher, reach: (connection) => reachCluster(connection, { policy: localEndpointPolicy }), endpointPolicy: localEndpointPolicy });
    connections = new ClusterConnections(fixture.store.clusters, cipher, localEndpointPolicy);
  });
  afterAll(async () => {
    await closeCipher?.();
    // Best effort: what the test made in the shared member clusters, so reruns start clean.
    await adminApi('beijing-1')
      .deleteNamespace({ name: namespace })
      .catch(() => undefined);
    await adminApi('us-west-1')
      .deleteNamespacedServiceAccount({ name: serviceAccount, namespace: 'default' })
      .catch(() => undefined);
  });

  it('joins beijing-1 with its admin kubeconfig, labels and a namespace created in the member cluster', async () => {
    const { cluster, rotated } = await registry.join({
      kubeconfig: await readKubeconfig('beijing-1'),
      labels: { region: 'beijing' },
      namespace,
    });
    expect(rotated).toBe(false);
    expect(cluster).toMatchObject({ name: 'beijing-1', type: 'X509Certificate', accepted: true, labels: { region: 'beijing' }, credentialVersion: 1 });
    expect(cluster.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.kubernetesVersion).toMatch(/^v1\.\d+\.\d+/);
    const created = await adminApi('beijing-1').readNamespace({ name: namespace });
    expect(created.metadata?.name).toBe(namespace);
  });

  it('keeps no PEM block, key, certificate or token in the raw DynamoDB item', async () => {
    const { Item: item } = await fixture.backend.client.send(
      new GetItemCommand({ TableName: fixture.backend.tableName, Key: { pk: { S: clusterKey('beijing-1').pk }, sk: { S: clusterKey('beijing-1').sk } } }),
    );
    const raw = JSON.stringify(item);
    const source = JSON.parse(await readKubeconfig('beijing-1')) as Kubeconfig;
    const user = source.users[0]!.user;
    expect(raw).not.toMatch(/-----BEGIN/);
    expect(raw).not.toMatch(/PRIVATE KEY|CERTIFICATE/);
    for (const secret of [user['client-certificate-data']!, user['client-key-data']!, source.clusters[0]!.cluster['certificate-authority-data']]) {
      // Any 40-character stretch of the base64 (or of its decoded PEM) would betray the secret.
      const decoded = Buffer.from(secret, 'base64').toString('utf8');
      for (const text of [secret, decoded]) {
        for (let offset = 0; offset + 40 <= text.length; offset += 40) expect(raw).not.toContain(text.slice(offset, offset + 40));
      }
    }
    expect(item?.credentials?.S).toBeDefined();
  });

  it('joins us-west-1 with a ServiceAccount token and never stores the token in the clear', async () => {
    const base = JSON.parse(await readKubeconfig('us-west-1')) as Kubeconfig;
    const token = await serviceAccountToken('us-west-1', serviceAccount);
    const { cluster } = await registry.join({ name: 'us-west-1', kubeconfig: tokenKubeconfig(base, token) });
    expect(cluster).toMatchObject({ name: 'us-west-1', type: 'ServiceAccountToken', accepted: true });
    const { Item: item } = await fixture.backend.client.send(
      new GetItemCommand({ TableName: fixture.backend.tableName, Key: { pk: { S: 'CLUSTERS' }, sk: { S: 'CLUSTER#us-west-1' } } }),
    );
    const raw = JSON.stringify(item);
    expect(raw).not.toContain(token.slice(0, 40));
    expect(raw).not.toContain(token.slice(-40));
  });

  it('lists clusters with type, endpoint, accepted, labels and version, and no credentials', async () => {
    const listed = await registry.list();
    expect(listed.map((c) => [c.name, c.type, c.accepted])).toEqual([
      ['beijing-1', 'X509Certificate', true],
      ['us-west-1', 'ServiceAccountToken', true],
    ]);
    const text = JSON.stringify(listed);
    expect(text).not.toMatch(/credentials|wrappedKey|ciphertext|-----BEGIN/);
    expect(Object.keys(listed[0]!).sort()).toEqual(
      ['accepted', 'createdAt', 'creatableNamespaces', 'credentialVersion', 'endpoint', 'insecureSkipTlsVerify', 'kubernetesVersion', 'labels', 'message', 'name', 'probedAt', 'type', 'updatedAt'].sort(),
    );
  });

  it('refuses to join an existing name without overwrite, and rotates the credentials with it', async () => {
    const kubeconfig = await readKubeconfig('beijing-1');
    const err = await refusal(registry.join({ kubeconfig }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toBe('cluster beijing-1 already exists');

    const before = await connections.loadClusterConnection('beijing-1');
    expect(await connections.loadClusterConnection('beijing-1')).toBe(before);
    const { cluster, rotated } = await registry.join({ kubeconfig, overwrite: true });
    expect(rotated).toBe(true);
    expect(cluster).toMatchObject({ credentialVersion: 2, labels: { region: 'beijing' } });
    const after = await connections.loadClusterConnection('beijing-1');
    expect(after.credentialVersion).toBe(2);
    expect(after.kubeConfig).not.toBe(before.kubeConfig);
    expect(after.client).not.toBe(before.client);
    expect(await after.client.serverVersion()).toBe(cluster.kubernetesVersion);
  });

  it('refuses the reserved name local with KubeVela s message, and invalid names', async () => {
    const kubeconfig = await readKubeconfig('beijing-2');
    const local = await refusal(registry.join({ name: 'local', kubeconfig }));
    expect(local).toBeInstanceOf(ValidationError);
    expect((local as ValidationError).details).toEqual([{ path: 'name', message: 'ClusterName cannot be `local`, it is reserved as the local cluster' }]);
    const invalid = await refusal(registry.join({ name: 'Beijing_2', kubeconfig }));
    expect((invalid as ValidationError).details[0]).toMatchObject({ path: 'name', message: expect.stringContaining('DNS-1123') });
  });

  it('refuses an unreachable endpoint with the reason, and stores nothing', async () => {
    const base = JSON.parse(await readKubeconfig('beijing-2')) as Kubeconfig;
    const unreachable = structuredClone(base);
    const endpoint = `https://127.0.0.1:${await freeLoopbackPort()}`;
    unreachable.clusters[0]!.cluster.server = endpoint;
    const err = await refusal(registry.join({ name: 'beijing-2', kubeconfig: JSON.stringify(unreachable) }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details[0]).toMatchObject({ path: 'kubeconfig' });
    expect(err.message).toMatch(new RegExp(`cannot join cluster beijing-2: cannot reach the API server at ${endpoint}: connect ECONNREFUSED`));
    expect(await fixture.store.clusters.get('beijing-2')).toBeUndefined();
  });

  it('refuses wrong credentials with the API server s 401, and stores nothing', async () => {
    const base = JSON.parse(await readKubeconfig('beijing-2')) as Kubeconfig;
    const err = await refusal(registry.join({ name: 'beijing-2', kubeconfig: tokenKubeconfig(base, 'not-a-valid-token') }));
    expect(err.message).toMatch(/cannot join cluster beijing-2: the API server at https:\/\/127\.0\.0\.1:\d+ rejected the credentials \(401/);
    expect(err.message).not.toContain('not-a-valid-token');
    expect(await fixture.store.clusters.get('beijing-2')).toBeUndefined();
  });

  it('refuses a kubeconfig with an exec plugin, naming the field', async () => {
    const base = JSON.parse(await readKubeconfig('beijing-2')) as Kubeconfig;
    const withExec = { ...base, users: [{ name: base.users[0]!.name, user: { exec: { command: 'aws' } } }] };
    const err = await refusal(registry.join({ kubeconfig: JSON.stringify(withExec) }));
    expect((err as ValidationError).details).toEqual([
      { path: 'kubeconfig.users[0].user.exec', message: expect.stringMatching(/^exec credential plugins are not supported/) },
    ]);
  });

  it('adds and removes labels; removing a missing key is an error and changes nothing', async () => {
    await registry.join({ kubeconfig: await readKubeconfig('beijing-2'), labels: { region: 'beijing' } });
    expect((await registry.addLabels('beijing-2', { provider: 'AWS', tier: 'gold' })).labels).toEqual({ region: 'beijing', provider: 'AWS', tier: 'gold' });
    expect((await registry.removeLabels('beijing-2', ['tier'])).labels).toEqual({ region: 'beijing', provider: 'AWS' });
    const err = await refusal(registry.removeLabels('beijing-2', ['tier', 'provider']));
    expect((err as ValidationError).details).toEqual([{ path: 'keys[0]', message: 'no such label "tier"' }]);
    expect((await registry.get('beijing-2')).labels).toEqual({ region: 'beijing', provider: 'AWS' });
    await expect(registry.addLabels('nowhere', { a: 'b' })).rejects.toThrow(UnknownClusterError);
  });

  it('keeps every label of concurrent label changes (each re-reads and retries on a version conflict)', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((key) => registry.addLabels('beijing-2', { [`team-${key}`]: 'yes' })));
    expect((await registry.get('beijing-2')).labels).toMatchObject({ 'team-a': 'yes', 'team-b': 'yes', 'team-c': 'yes', 'team-d': 'yes' });
    await registry.removeLabels('beijing-2', ['team-a', 'team-b', 'team-c', 'team-d']);
  });

  it('probes a cluster: accepted while it answers, not accepted with the reason once it stops answering', async () => {
    const base = JSON.parse(await readKubeconfig('beijing-2')) as Kubeconfig;
    const relay = await relayTo(base.clusters[0]!.cluster.server);
    const relayed = structuredClone(base);
    relayed.clusters[0]!.cluster.server = relay.endpoint;
    await registry.join({ name: 'flaky', kubeconfig: JSON.stringify(relayed) });
    expect(await registry.probe('flaky')).toMatchObject({ accepted: true, message: undefined });
    await relay.close();
    const probed = await registry.probe('flaky');
    expect(probed.accepted).toBe(false);
    expect(probed.message).toMatch(new RegExp(`cannot reach the API server at ${relay.endpoint}`));
    expect(probed.kubernetesVersion).toMatch(/^v1\./);
  });

  it('renames a cluster, keeping its credentials usable, and refuses local as the new name', async () => {
    const renamed = await registry.rename('flaky', 'beijing-3');
    expect(renamed.name).toBe('beijing-3');
    await expect(registry.get('flaky')).rejects.toThrow(UnknownClusterError);
    const { kubeConfig } = await connections.loadClusterConnection('beijing-3');
    expect(kubeConfig.getCurrentCluster()?.server).toMatch(/^https:\/\/127\.0\.0\.1:/);
    await expect(registry.rename('beijing-3', 'local')).rejects.toThrow('ClusterName cannot be `local`');
    await expect(registry.rename('beijing-3', 'beijing-1')).rejects.toThrow('cluster beijing-1 already exists');
    expect((await registry.list()).map((c) => c.name)).toEqual(['beijing-1', 'beijing-2', 'beijing-3', 'us-west-1']);
  });

  it('refuses to detach or rename a cluster holding application objects, naming them; a forced detach orphans them', async () => {
    await fixture.store.inventories.record({
      namespace: 'default',
      application: 'example-app',
      revision: 2,
      cluster: 'beijing-2',
      resources: [
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'hello-world-server' },
        { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'hello-world-server' },
      ],
      recordedAt: new Date().toISOString(),
      version: 1,
    });
    const refused = await refusal(registry.detach('beijing-2'));
    expect(refused).toBeInstanceOf(ClusterInUseError);
    expect(refused.message).toBe(
      'cannot detach cluster beijing-2: it holds objects of applications: default/example-app (example-app-v2): Deployment default/hello-world-server, Service default/hello-world-server; delete those applications or move them off the cluster first, or detach with force to leave these objects behind as orphans',
    );
    await expect(registry.rename('beijing-2', 'beijing-9')).rejects.toThrow(ClusterInUseError);
    expect((await registry.get('beijing-2')).name).toBe('beijing-2');

    const forced = await registry.detach('beijing-2', { force: true });
    expect(forced.orphaned.map((i) => i.application)).toEqual(['example-app']);
    await expect(registry.get('beijing-2')).rejects.toThrow(UnknownClusterError);
    expect(await fixture.store.inventories.listForCluster('beijing-2')).toEqual([]);
    expect(await fixture.store.inventories.listOrphans()).toMatchObject([{ cluster: 'beijing-2', inventories: [{ application: 'example-app', revision: 2 }] }]);
    await expect(connections.loadClusterConnection('beijing-2')).rejects.toThrow(UnknownClusterError);
  });

  it('detaches an unused cluster', async () => {
    expect(await registry.detach('beijing-3')).toEqual({ cluster: 'beijing-3', orphaned: [] });
    expect((await registry.list()).map((c) => c.name)).toEqual(['beijing-1', 'us-west-1']);
  });
});
