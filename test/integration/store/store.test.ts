import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../lib/engine/ports/conflict-error.ts';
import type { ClusterRecord } from '../../../lib/core/cluster/cluster-record.ts';
import { revisionKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { newRunId, type RunRecord } from '../../../lib/core/run/run.ts';
import { Table, createTable } from '../../../lib/adapters/dynamodb/table.ts';
import { dynamoBackends, useStoreOn } from './backends.ts';
import { Application } from '../../../lib/core/application/application.ts';

const now = new Date('2026-11-29T10:00:00.000Z');
const at = now.toISOString();

function application(name: string, spec: unknown, annotations?: Record<string, string>, namespace = 'default') {
  return Application.parse({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec });
}

const webservice = (image: string) => ({ components: [{ name: 'hello', type: 'webservice', properties: { image } }] });

function cluster(name: string): ClusterRecord {
  return {
    name,
    id: randomUUID(),
    endpoint: 'https://127.0.0.1:6443',
    credentialType: 'X509Certificate',
    credentialVersion: 1,
    credentials: { algorithm: 'AES-256-GCM', keyProvider: 'key-file', keyId: 'key-file:0011223344556677', wrappedKey: 'AAAA', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' },
    labels: { region: 'beijing', empty: '' },
    accepted: true,
    kubernetesVersion: 'v1.34.1',
    probedAt: at,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe.each(dynamoBackends)('store on $name', ({ open }) => {
  const fixture = useStoreOn(open);

  it('creates the documented schema, and createTable on an existing table is a no-op', async () => {
    await createTable(fixture.backend.client, fixture.backend.tableName);
    const { Table: table } = await fixture.backend.client.send(new DescribeTableCommand({ TableName: fixture.backend.tableName }));
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema])).toEqual([
      [
        'gsi1',
        [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
      ],
    ]);
  });

  describe('clusters', () => {
    it('refuses a second create of the same name with a typed conflict', async () => {
      await fixture.store.clusters.create(cluster('beijing-1'));
      const err = await rejection(fixture.store.clusters.create(cluster('beijing-1')));
      expect(err).toBeInstanceOf(ConflictError);
      expect(err).toMatchObject({ entity: 'cluster', key: 'beijing-1', reason: 'already-exists' });
    });

    it('accepts a write at the version read and refuses a stale one', async () => {
      const read = (await fixture.store.clusters.get('beijing-1'))!;
      const updated = await fixture.store.clusters.replace({ ...read, labels: { region: 'beijing', tier: 'gold' } }, read.version);
      expect(updated.version).toBe(read.version + 1);
      const stale = await rejection(fixture.store.clusters.replace({ ...read, labels: {} }, read.version));
      expect(stale).toMatchObject({ name: 'ConflictError', reason: 'changed' });
      expect((await fixture.store.clusters.get('beijing-1'))?.labels).toEqual({ region: 'beijing', tier: 'gold' });
    });

    it('lists clusters in name order and removes only at the version read', async () => {
      await fixture.store.clusters.create(cluster('us-west-1'));
      await fixture.store.clusters.create(cluster('beijing-2'));
      expect((await fixture.store.clusters.list()).map((c) => c.name)).toEqual(['beijing-1', 'beijing-2', 'us-west-1']);
      const doomed = (await fixture.store.clusters.get('beijing-2'))!;
      expect(await rejection(fixture.store.clusters.remove(doomed, doomed.version + 1))).toBeInstanceOf(ConflictError);
      await fixture.store.clusters.remove(doomed, doomed.version);
      expect(await fixture.store.clusters.get('beijing-2')).toBeUndefined();
    });
  });

  describe('applications', () => {
    it('stores v1, reports an identical resubmit (in any key order) as unchanged, and stores v2 on a spec change', async () => {
      const first = await fixture.store.applications.submit(application('example-app', webservice('nginx:1')), now);
      expect(first).toMatchObject({ outcome: 'created', revision: { revisionName: 'example-app-v1', revision: 1 } });
      expect(first.application).toMatchObject({ namespace: 'default', name: 'example-app', currentRevision: 1, version: 1 });

      const reordered = Application.parse({ spec: webservice('nginx:1'), metadata: { namespace: 'default', name: 'example-app' }, kind: 'Application', apiVersion: 'core.oam.dev/v1beta1' });
      const again = await fixture.store.applications.submit(reordered, now);
      expect(again.outcome).toBe('unchanged');
      expect(again.revision.revisionName).toBe('example-app-v1');

      const changed = await fixture.store.applications.submit(application('example-app', webservice('nginx:2')), now);
      expect(changed.outcome).toBe('created');
      expect(changed.revision.revisionName).toBe('example-app-v2');
      expect(changed.revision.document).toEqual(application('example-app', webservice('nginx:2')));
    });

    it('stores a new revision when only app.oam.dev/publishVersion changes', async () => {
      const spec = webservice('nginx:2');
      const pinned = await fixture.store.applications.submit(application('example-app', spec, { 'app.oam.dev/publishVersion': 'alpha' }), now);
      expect(pinned).toMatchObject({ outcome: 'created', revision: { revisionName: 'example-app-v3', publishVersion: 'alpha' } });
      const same = await fixture.store.applications.submit(application('example-app', spec, { 'app.oam.dev/publishVersion': 'alpha' }), now);
      expect(same.outcome).toBe('unchanged');
      const bumped = await fixture.store.applications.submit(application('example-app', spec, { 'app.oam.dev/publishVersion': 'beta' }), now);
      expect(bumped.revision.revisionName).toBe('example-app-v4');
      expect((await fixture.store.applications.listRevisions('default', 'example-app')).map((r) => r.revision)).toEqual([4, 3, 2, 1]);
    });

    it('pins spec edits under an unchanged publishVersion: unchanged, nothing stored', async () => {
      const edited = await fixture.store.applications.submit(application('example-app', webservice('nginx:9'), { 'app.oam.dev/publishVersion': 'beta' }), now);
      expect(edited).toMatchObject({ outcome: 'unchanged', because: 'same-publish-version', revision: { revisionName: 'example-app-v4' } });
      expect((await fixture.store.applications.listRevisions('default', 'example-app')).map((r) => r.revision)).toEqual([4, 3, 2, 1]);
    });

    it('rolls back: the older revision becomes current, submits compare with it, and new revisions number after the newest', async () => {
      const v1 = await fixture.store.applications.submit(application('rolling', webservice('app:1')), now);
      const v2 = await fixture.store.applications.submit(application('rolling', webservice('app:2')), now);
      expect(v2.revision.revision).toBe(2);
      const rolled = await fixture.store.applications.rollBack('default', 'rolling', 1, v2.application.version, now);
      expect(rolled).toMatchObject({ currentRevision: 1, latestRevision: 2, specHash: v1.revision.specHash });
      // A stale version is refused, nothing changes.
      expect(await rejection(fixture.store.applications.rollBack('default', 'rolling', 2, v2.application.version, now))).toBeInstanceOf(ConflictError);
      expect(await fixture.store.applications.get('default', 'rolling')).toMatchObject({ currentRevision: 1, latestRevision: 2 });
      // v1's document is what is current now: unchanged. v2's differs from it: a new revision, v3.
      expect(await fixture.store.applications.submit(application('rolling', webservice('app:1')), now)).toMatchObject({ outcome: 'unchanged', revision: { revision: 1 } });
      const again = await fixture.store.applications.submit(application('rolling', webservice('app:2')), now);
      expect(again).toMatchObject({ outcome: 'created', revision: { revisionName: 'rolling-v3', specHash: v2.revision.specHash } });
      expect(again.application).toMatchObject({ currentRevision: 3, latestRevision: 3 });
      // A derived document based on the rolled-back revision is accepted against it.
      await fixture.store.applications.rollBack('default', 'rolling', 1, again.application.version, now);
      const derived = await fixture.store.applications.submit(application('rolling', webservice('app:4')), now, { basedOn: 1 });
      expect(derived).toMatchObject({ outcome: 'created', revision: { revisionName: 'rolling-v4' } });
    });

    it('keeps the scope a revision was submitted under with it, and none when none was given', async () => {
      // Its own namespace, so the listings the other cases check stay as they expect.
      const scopedApp = (image: string) => {
        const document = application('scoped', webservice(image));
        return { ...document, metadata: { ...document.metadata, namespace: 'scoped-ns' } };
      };
      const scope = { tokenId: '0123456789abcdef', namespaces: ['team-a'] };
      const scoped = await fixture.store.applications.submit(scopedApp('nginx:1'), now, { scope });
      expect(scoped.revision.scope).toEqual(scope);
      expect((await fixture.store.applications.getRevision('scoped-ns', 'scoped', 1))?.scope).toEqual(scope);
      const unlimited = { tokenId: '0123456789abcdef', namespaces: [] };
      await fixture.store.applications.submit(scopedApp('nginx:2'), now, { scope: unlimited });
      expect((await fixture.store.applications.getRevision('scoped-ns', 'scoped', 2))?.scope).toEqual(unlimited);
      await fixture.store.applications.submit(scopedApp('nginx:3'), now);
      expect((await fixture.store.applications.getRevision('scoped-ns', 'scoped', 3))?.scope).toBeUndefined();
    });

    it('turns ten concurrent submits of the same new spec into exactly one new revision', async () => {
      const document = application('racer', webservice('nginx:race'));
      const results = await Promise.all(Array.from({ length: 10 }, () => fixture.store.applications.submit(document, now)));
      expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
      expect(new Set(results.map((r) => r.revision.revisionName))).toEqual(new Set(['racer-v1']));
      expect(await fixture.store.applications.listRevisions('default', 'racer')).toHaveLength(1);
      expect((await fixture.store.applications.get('default', 'racer'))?.currentRevision).toBe(1);
    });

    it('numbers concurrent submits of different specs contiguously, one revision each', async () => {
      const images = ['a', 'b', 'c', 'd', 'e'];
      const results = await Promise.all(images.map((image) => fixture.store.applications.submit(application('busy', webservice(image)), now)));
      expect(results.every((r) => r.outcome === 'created')).toBe(true);
      expect(results.map((r) => r.revision.revision).sort()).toEqual([1, 2, 3, 4, 5]);
      const header = (await fixture.store.applications.get('default', 'busy'))!;
      expect(header.currentRevision).toBe(5);
      expect(header.version).toBe(5);
    });

    it('heals a submit that died between storing its revision and advancing the application', async () => {
      const table = new Table(fixture.backend.client, fixture.backend.tableName);
      await fixture.store.applications.submit(application('crashy', webservice('v1')), now);
      // What a crashed submitter leaves: revision 2 written, the application still naming revision 1.
      const orphan = await fixture.store.applications.getRevision('default', 'crashy', 1);
      await table.put({ ...revisionKey('default', 'crashy', 2), ...orphan!, revision: 2, revisionName: 'crashy-v2', specHash: 'crashed', document: '{}' });
      const next = await fixture.store.applications.submit(application('crashy', webservice('v3')), now);
      expect(next.revision.revisionName).toBe('crashy-v3');
      expect((await fixture.store.applications.get('default', 'crashy'))?.currentRevision).toBe(3);
    });

    it('lists applications per namespace and across namespaces', async () => {
      await fixture.store.applications.submit(application('other', webservice('x'), undefined, 'team-a'), now);
      expect((await fixture.store.applications.list('team-a')).map((a) => a.name)).toEqual(['other']);
      expect((await fixture.store.applications.list('default')).map((a) => a.name)).toEqual(['busy', 'crashy', 'example-app', 'racer', 'rolling']);
      const everywhere = await fixture.store.applications.listAll();
      expect(everywhere.map((a) => `${a.namespace}/${a.name}`)).toContain('team-a/other');
    });

    it('refuses submits while the application is being deleted, and purges it with its revisions', async () => {
      const header = (await fixture.store.applications.get('team-a', 'other'))!;
      expect(await rejection(fixture.store.applications.markDeleting('team-a', 'other', header.version + 1))).toBeInstanceOf(ConflictError);
      await fixture.store.applications.markDeleting('team-a', 'other', header.version);
      const refused = await rejection(fixture.store.applications.submit(application('other', webservice('y'), undefined, 'team-a'), now));
      expect(refused).toMatchObject({ reason: 'deleting' });
      await fixture.store.applications.purge('team-a', 'other');
      expect(await fixture.store.applications.get('team-a', 'other')).toBeUndefined();
      expect(await fixture.store.applications.listRevisions('team-a', 'other')).toEqual([]);
    });
  });

  describe('workflow runs and targets', () => {
    const runId = newRunId(now);
    const run: RunRecord = {
      runId,
      namespace: 'default',
      application: 'example-app',
      revision: 4,
      revisionName: 'example-app-v4',
      mode: 'DAG',
      phase: 'running',
      steps: [{ id: 'wftf9d4exj', name: 'deploy-beijing-clusters', type: 'deploy', phase: 'running', startedAt: at }],
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    const payload = { where: 'inline' as const, resources: [], components: [] };
    const placements = ['beijing-1', 'beijing-2', 'us-west-1'].map((cluster) => ({ cluster, namespace: 'default', createNamespace: false, payload }));

    it('creates a run, updates its steps at the version read, and lists runs newest first', async () => {
      await fixture.store.runs.create(run);
      const later = newRunId(new Date(now.getTime() + 1000));
      await fixture.store.runs.create({ ...run, runId: later });
      const read = (await fixture.store.runs.get(runId))!;
      const steps = read.steps.map((s) => ({ ...s, phase: 'succeeded' as const }));
      await fixture.store.runs.replace({ ...read, steps, phase: 'succeeded' }, read.version);
      expect(await rejection(fixture.store.runs.replace({ ...read, phase: 'failed' }, read.version))).toBeInstanceOf(ConflictError);
      expect((await fixture.store.runs.get(runId))?.steps[0]?.phase).toBe('succeeded');
      expect((await fixture.store.runs.listForApplication('default', 'example-app')).map((r) => r.runId)).toEqual([later, runId]);
    });

    it('registers targets idempotently and refuses a different placement list for the same step', async () => {
      const first = await fixture.store.targets.register(runId, 'wftf9d4exj', placements, now);
      const second = await fixture.store.targets.register(runId, 'wftf9d4exj', placements, now);
      expect(second).toEqual(first);
      expect(await rejection(fixture.store.targets.register(runId, 'wftf9d4exj', placements.slice(1), now))).toBeInstanceOf(ConflictError);
      expect((await fixture.store.targets.listForStep(runId, 'wftf9d4exj')).map((t) => t.cluster)).toEqual(['beijing-1', 'beijing-2', 'us-west-1']);
      expect(await fixture.store.targets.tally(runId, 'wftf9d4exj')).toMatchObject({ expected: 3, finished: new Set() });
    });

    it('records progress at the version read', async () => {
      const target = (await fixture.store.targets.get(runId, 'wftf9d4exj', placements[0]!))!;
      await fixture.store.targets.replace({ ...target, phase: 'applying', attempts: 1 }, target.version);
      expect(await rejection(fixture.store.targets.replace({ ...target, attempts: 9 }, target.version))).toBeInstanceOf(ConflictError);
    });

    it('counts each completion once under duplicate deliveries, and exactly one caller completes the step', async () => {
      const deliveries = [...placements, ...placements, ...placements].map((placement) =>
        fixture.store.targets.complete(
          runId,
          'wftf9d4exj',
          placement,
          placement.cluster === 'us-west-1' ? { phase: 'failed', message: 'namespaces "default" not found' } : { phase: 'succeeded', detail: { ready: '3/3' } },
          now,
        ),
      );
      const completions = await Promise.all(deliveries);
      expect(completions.filter((c) => c.recorded)).toHaveLength(3);
      expect(completions.filter((c) => c.completedStep)).toHaveLength(1);
      const tally = (await fixture.store.targets.tally(runId, 'wftf9d4exj'))!;
      expect(tally.finished).toEqual(new Set(['beijing-1/default', 'beijing-2/default', 'us-west-1/default']));
      expect(tally.failed).toEqual(new Set(['us-west-1/default']));
      const targets = await fixture.store.targets.listForRun(runId);
      expect(targets.map((t) => t.phase)).toEqual(['succeeded', 'succeeded', 'failed']);
      expect(targets[0]?.detail).toEqual({ ready: '3/3' });
    });

    it('keeps the first outcome of a target when a later delivery disagrees', async () => {
      const again = await fixture.store.targets.complete(runId, 'wftf9d4exj', placements[2]!, { phase: 'succeeded' }, now);
      expect(again.recorded).toBe(false);
      expect((await fixture.store.targets.get(runId, 'wftf9d4exj', placements[2]!))?.phase).toBe('failed');
    });
  });

  describe('order reads', () => {
    it('reads run, live pointer, target, cluster and inventory in one batch, each as its own read would, absent ones left out', async () => {
      const runId = newRunId(new Date(now.getTime() + 5000));
      const run: RunRecord = {
        runId,
        namespace: 'orders',
        application: 'batched',
        revision: 2,
        revisionName: 'batched-v2',
        mode: 'DAG',
        phase: 'running',
        steps: [{ id: 'step1', name: 'deploy', type: 'deploy', phase: 'running', startedAt: at }],
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const payload = { where: 'inline' as const, resources: [], components: [] };
      const placement = { cluster: 'batch-1', namespace: 'orders' };
      await fixture.store.runs.create(run);
      await fixture.store.runs.claimLive('orders', 'batched', runId);
      await fixture.store.targets.register(runId, 'step1', [{ ...placement, createNamespace: false, payload }], now);
      await fixture.store.clusters.create(cluster('batch-1'));
      const inventory = { namespace: 'orders', application: 'batched', revision: 2, cluster: 'batch-1', resources: [], recordedAt: at, version: 1 };
      await fixture.store.inventories.record(inventory);
      const request = {
        runId,
        application: { namespace: 'orders', name: 'batched' },
        target: { stepId: 'step1', placement },
        cluster: 'batch-1',
        inventory: { namespace: 'orders', application: 'batched', cluster: 'batch-1', revision: 2 },
      };

      const read = await fixture.store.orderReads.read(request);
      expect(read).toEqual({
        run: await fixture.store.runs.get(runId),
        liveRunId: runId,
        target: await fixture.store.targets.get(runId, 'step1', placement),
        cluster: await fixture.store.clusters.get('batch-1'),
        inventory: await fixture.store.inventories.get('orders', 'batched', 'batch-1', 2),
      });
      // Strongly consistent: a write just made is what the next batch read sees.
      await fixture.store.runs.replace({ ...read.run!, phase: 'terminated' }, read.run!.version);
      expect((await fixture.store.orderReads.read({ runId })).run?.phase).toBe('terminated');
      expect(await fixture.store.orderReads.read({ ...request, runId: 'unknown-run', cluster: 'no-such-cluster', inventory: { ...request.inventory, revision: 9 } })).toEqual({
        liveRunId: runId,
      });
    });
  });

  describe('inventories', () => {
    const inventory = {
      namespace: 'default',
      application: 'example-app',
      revision: 4,
      cluster: 'beijing-1',
      resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'hello-world-server', component: 'hello-world-server' }],
      recordedAt: at,
      version: 1,
    };

    it('records, lists per cluster and per application, and refuses a blind second create', async () => {
      await fixture.store.inventories.record(inventory);
      await fixture.store.inventories.record({ ...inventory, cluster: 'us-west-1' });
      expect(await rejection(fixture.store.inventories.record(inventory))).toBeInstanceOf(ConflictError);
      const stored = (await fixture.store.inventories.get('default', 'example-app', 'beijing-1', 4))!;
      await fixture.store.inventories.record({ ...stored, resources: [] }, stored.version);
      expect((await fixture.store.inventories.listForCluster('us-west-1')).map((i) => i.application)).toEqual(['example-app']);
      expect((await fixture.store.inventories.listForApplication('default', 'example-app')).map((i) => i.cluster)).toEqual(['beijing-1', 'us-west-1']);
      await fixture.store.inventories.remove(stored);
      expect(await fixture.store.inventories.listForCluster('beijing-1')).toEqual([]);
    });

    it('keeps orphan records', async () => {
      const { version: _, ...orphaned } = inventory;
      await fixture.store.inventories.recordOrphans({ cluster: 'us-west-1', detachedAt: at, inventories: [orphaned], version: 1 });
      expect(await fixture.store.inventories.listOrphans()).toMatchObject([{ cluster: 'us-west-1', inventories: [{ application: 'example-app' }] }]);
    });
  });

  describe('tokens', () => {
    it('creates, lists and revokes at the version read', async () => {
      const token = {
        id: '0123456789abcdef',
        hash: 'ab'.repeat(32),
        description: 'ci',
        role: 'deployer' as const,
        namespaces: ['default'],
        createdAt: at,
        version: 1,
      };
      await fixture.store.tokens.create(token);
      expect(await rejection(fixture.store.tokens.create(token))).toBeInstanceOf(ConflictError);
      const read = (await fixture.store.tokens.get(token.id))!;
      await fixture.store.tokens.replace({ ...read, revokedAt: at }, read.version);
      expect(await rejection(fixture.store.tokens.replace({ ...read, description: 'x' }, read.version))).toBeInstanceOf(ConflictError);
      expect(await fixture.store.tokens.list()).toMatchObject([{ id: token.id, revokedAt: at, namespaces: ['default'] }]);
    });
  });
});
