import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClusterInUseError } from '../../../../lib/core/cluster/cluster-errors.ts';
import { checkLabels, withLabels, withoutLabels } from '../../../../lib/core/cluster/cluster-labels.ts';
import { checkClusterName } from '../../../../lib/core/cluster/cluster-name.ts';
import { summarize } from '../../../../lib/engine/clusters/cluster-registry.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import type { ClusterRecord } from '../../../../lib/core/cluster/cluster-record.ts';

function detailsOf(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.details;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('cluster names', () => {
  it.each(['beijing-1', 'us-west-1', 'a', 'x'.repeat(63), '0cluster'])('accepts %s', (name) => {
    expect(checkClusterName(name)).toBe(name);
  });

  it('refuses local with KubeVela s message', () => {
    expect(detailsOf(() => checkClusterName('local'))).toEqual([{ path: 'name', message: 'ClusterName cannot be `local`, it is reserved as the local cluster' }]);
  });

  it.each(['Beijing-1', 'beijing_1', '-beijing', 'beijing-', 'beijing.1', '', 'x'.repeat(64), 'a b'])('refuses %j as not DNS-1123', (name) => {
    expect(detailsOf(() => checkClusterName(name, 'newName'))).toEqual([{ path: 'newName', message: expect.stringContaining('DNS-1123 label') }]);
  });
});

describe('cluster labels', () => {
  it('accepts Kubernetes label keys and values, including prefixed keys and empty values', () => {
    const labels = { provider: 'AWS', 'topology.kubernetes.io/region': 'us-west-1', 'example.com/tier': '', 'a_b.c-d': 'X_1.y-2' };
    expect(checkLabels(labels)).toEqual(labels);
  });

  it('refuses bad keys and values, each at its own path', () => {
    expect(detailsOf(() => checkLabels({ '-bad': 'ok', good: 'not ok!', 'UPPER.example/x': 'v', 'cluster.core.oam.dev/control-plane': 'true' }))).toEqual([
      { path: 'labels["-bad"]', message: expect.stringMatching(/^the key must be at most 63/) },
      { path: 'labels["good"]', message: expect.stringMatching(/^the value must be empty or at most 63/) },
      { path: 'labels["UPPER.example/x"]', message: 'the key\'s prefix "UPPER.example" must be a DNS subdomain (lowercase letters, digits, \'-\' and \'.\')' },
      { path: 'labels["cluster.core.oam.dev/control-plane"]', message: "the key's prefix cluster.core.oam.dev is reserved" },
    ]);
    expect(detailsOf(() => checkLabels({ k: 'v'.repeat(64) }))[0]?.path).toBe('labels["k"]');
  });

  it('adds labels, new values winning', () => {
    expect(withLabels({ region: 'beijing', tier: 'bronze' }, { tier: 'gold', provider: 'AWS' })).toEqual({ region: 'beijing', tier: 'gold', provider: 'AWS' });
  });

  it('removes labels, and a missing key is an error naming it', () => {
    expect(withoutLabels({ region: 'beijing', provider: 'AWS' }, ['provider'])).toEqual({ region: 'beijing' });
    expect(detailsOf(() => withoutLabels({ region: 'beijing' }, ['region', 'provider', 'tier']))).toEqual([
      { path: 'keys[1]', message: 'no such label "provider"' },
      { path: 'keys[2]', message: 'no such label "tier"' },
    ]);
  });
});

describe('cluster summaries', () => {
  it('show everything a listing needs and nothing of the credentials', () => {
    const at = '2026-11-29T10:00:00.000Z';
    const record: ClusterRecord = {
      name: 'beijing-1',
      id: randomUUID(),
      endpoint: 'https://127.0.0.1:6443',
      credentialType: 'ServiceAccountToken',
      credentialVersion: 3,
      credentials: { algorithm: 'AES-256-GCM', keyProvider: 'key-file', keyId: 'key-file:00', wrappedKey: 'V1JBUA==', iv: 'SVY=', ciphertext: 'Q1Q=', authTag: 'VEFH' },
      labels: { region: 'beijing' },
      accepted: true,
      kubernetesVersion: 'v1.34.1',
      probedAt: at,
      createdAt: at,
      updatedAt: at,
      version: 7,
    };
    const summary = summarize(record);
    expect(summary).toEqual({
      name: 'beijing-1',
      type: 'ServiceAccountToken',
      endpoint: 'https://127.0.0.1:6443',
      insecureSkipTlsVerify: false,
      accepted: true,
      labels: { region: 'beijing' },
      kubernetesVersion: 'v1.34.1',
      message: undefined,
      credentialVersion: 3,
      probedAt: at,
      createdAt: at,
      updatedAt: at,
    });
    expect(JSON.stringify(summary)).not.toMatch(/V1JBUA|Q1Q|VEFH|id/);
  });
});

describe('ClusterInUseError', () => {
  it('names every application object in the cluster', () => {
    const inventory = (application: string, revision: number, resources: { kind: string; namespace?: string; name: string }[]) => ({
      namespace: 'default',
      application,
      revision,
      cluster: 'us-west-1',
      resources: resources.map((r) => ({ apiVersion: 'v1', ...r })),
      recordedAt: '2026-11-29T10:00:00.000Z',
      version: 1,
    });
    const err = new ClusterInUseError('us-west-1', 'rename', [
      inventory('web', 3, [{ kind: 'Deployment', namespace: 'default', name: 'web' }]),
      inventory('ops', 1, [{ kind: 'Namespace', name: 'multi-cluster' }, { kind: 'ConfigMap', namespace: 'multi-cluster', name: 'cfg' }]),
    ]);
    expect(err.message).toBe(
      'cannot rename cluster us-west-1: it holds objects of applications: default/web (web-v3): Deployment default/web; default/ops (ops-v1): Namespace multi-cluster, ConfigMap multi-cluster/cfg; delete those applications or move them off the cluster first',
    );
  });
});
