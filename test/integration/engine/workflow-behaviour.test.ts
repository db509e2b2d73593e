// Workflow behaviour beyond the happy path, on moto and the real member clusters: missing namespaces, suspend/resume,
// terminate, restart, rollback, A -> B -> A, deletion, a dead cluster, and payloads too large for SQS.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clustersDown, clustersUp } from '../../../devenv/clusters/kwok.ts';
import { requestOperation } from '../../../lib/engine/planner/workflow-operations.ts';
import type { Engine } from '../../../lib/engine/context.ts';
import { readyReplicas, startEngineHarness, type EngineHarness } from './engine-harness.ts';

let harness: EngineHarness;
let engine: Engine;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '60' });
  const { engineWith, observe } = await import('../../../functions/runtime.ts');
  engine = engineWith((await import('../../../functions/cluster-access.ts')).clusterAccess, observe('engine-test').telemetry);
  const kubeconfigs = inject('clusterKubeconfigs');
  for (const name of ['beijing-1', 'beijing-2']) {
    await harness.registry.join({ name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8') });
  }
});
afterAll(() => harness?.stop());

interface AppOptions {
  clusters?: string[];
  replicas?: number;
  createNamespace?: boolean;
  steps?: unknown[];
  components?: unknown[];
}

function app(name: string, namespace: string, options: AppOptions = {}) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      components: options.components ?? [
        {
          name: `${name}-web`,
          type: 'webservice',
          properties: { image: 'crccheck/hello-world', port: 8000 },
          traits: [{ type: 'scaler', properties: { replicas: options.replicas ?? 1 } }],
        },
      ],
      policies: [
        { type: 'topology', name: 'here', properties: { clusters: options.clusters ?? ['beijing-1'], createNamespace: options.createNamespace ?? true } },
      ],
      ...(options.steps ? { workflow: { steps: options.steps } } : {}),
    },
  };
}

describe('workflow behaviour', () => {
  it('fails the step with the API server own not-found message naming the cluster when the namespace is missing, and succeeds once creation is asked for', async () => {
    const namespace = `multi-cluster-${suffix}`;
    const failed = await harness.deploy(app('ns-story', namespace, { createNamespace: false }));
    expect(failed.about.status).toBe('workflowFailed');
    const step = failed.workflow?.steps[0];
    expect(step?.phase).toBe('failed');
    expect(step?.message).toContain('cluster beijing-1');
    expect(step?.message).toContain(`namespaces "${namespace}" not found`);
    expect(step?.message).toContain('component ns-story-web');

    const fixed = await harness.deploy(app('ns-story', namespace, { createNamespace: true }));
    expect(fixed.about.status).toBe('running');
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'ns-story-web')).toBe(1);
  });

  it('a suspend step pauses the workflow until resume; then the deploy step runs', async () => {
    const namespace = `suspend-${suffix}`;
    const steps = [
      { name: 'approve', type: 'suspend', properties: { message: 'approve the rollout to beijing-1' } },
      { name: 'ship', type: 'deploy', properties: { policies: ['here'] } },
    ];
    const { name } = await harness.submit(app('paused', namespace, { steps }));
    const suspended = await harness.waitFor(namespace, name, (s) => s.about.status === 'workflowSuspending');
    expect(suspended.workflow).toMatchObject({ suspend: true, finished: false });
    // The suspend step's own message says why it waits (KubeVela shows it in the step's status).
    expect(suspended.workflow?.steps.find((s) => s.name === 'approve')?.message).toBe('approve the rollout to beijing-1');
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'paused-web')).toBeUndefined();

    await requestOperation(engine, { namespace, name }, 'resume');
    const done = await harness.waitFor(namespace, name, (s) => s.workflow?.finished === true);
    expect(done.workflow?.steps.map((s) => [s.name, s.phase])).toEqual([
      ['approve', 'succeeded'],
      ['ship', 'succeeded'],
    ]);
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'paused-web')).toBe(1);
  });

  it('terminate ends a suspended workflow; restart runs the revision afresh', async () => {
    const namespace = `terminate-${suffix}`;
    const steps = [
      { name: 'approve', type: 'suspend' },
      { name: 'ship', type: 'deploy', properties: { policies: ['here'] } },
    ];
    const { name } = await harness.submit(app('stopped', namespace, { steps }));
    await harness.waitFor(namespace, name, (s) => s.about.status === 'workflowSuspending');
    await requestOperation(engine, { namespace, name }, 'terminate');
    const terminated = await harness.waitFor(namespace, name, (s) => s.about.status === 'workflowTerminated');
    expect(terminated.workflow).toMatchObject({ terminated: true, finished: true });
    expect(terminated.workflow?.steps.find((s) => s.name === 'approve')?.phase).toBe('failed');

    const { runId } = await requestOperation(engine, { namespace, name }, 'restart');
    const restarted = await harness.waitFor(namespace, name, (s) => s.about.status === 'workflowSuspending');
    expect(restarted.workflow?.terminated).toBe(false);
    const runs = await engine.store.runs.listForApplication(namespace, name);
    expect(runs[0]?.runId).toBe(runId);
  });

  it('rollback runs the newest succeeded revision again after a failed one', async () => {
    const namespace = `rollback-${suffix}`;
    const good = await harness.deploy(app('rolled', namespace, { replicas: 2 }));
    expect(good.about.status).toBe('running');
    // Revision 2 fails: its namespace does not exist and is not created.
    const bad = app('rolled', namespace, { replicas: 4, createNamespace: false });
    bad.metadata.namespace = namespace;
    (bad.spec.policies[0]!.properties as Record<string, unknown>).namespace = `missing-${suffix}`;
    const failed = await harness.deploy(bad);
    expect(failed.about.status).toBe('workflowFailed');

    const { revisionName } = await requestOperation(engine, { namespace, name: 'rolled' }, 'rollback');
    expect(revisionName).toBe('rolled-v1');
    const rolledBack = await harness.waitFor(namespace, 'rolled', (s) => s.workflow?.revision === 'rolled-v1' && s.workflow.finished);
    expect(rolledBack.about.status).toBe('running');
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'rolled-web')).toBe(2);
  });

  it('A -> B -> A never deletes live objects: a component removed by B comes back with A and stays after GC', async () => {
    const namespace = `aba-${suffix}`;
    const extra = { name: 'extra', type: 'webservice', properties: { image: 'crccheck/hello-world' } };
    const base = app('aba', namespace);
    const withExtra = { ...base, spec: { ...base.spec, components: [...base.spec.components, extra] } };
    await harness.deploy(withExtra);
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'extra')).toBe(1);
    await harness.deploy(base);
    await expectEventually(async () => (await readyReplicas(harness.cluster('beijing-1'), namespace, 'extra')) === undefined);
    const again = await harness.deploy({ ...withExtra, metadata: { ...withExtra.metadata, annotations: { 'app.oam.dev/publishVersion': 'a-again' } } });
    expect(again.about.status).toBe('running');
    // GC after the third run must not touch what it holds, although revision 1 held the same objects.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'extra')).toBe(1);
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'aba-web')).toBe(1);
  });

  it('deleting an application removes its objects from every cluster, then its records', async () => {
    const namespace = `delete-${suffix}`;
    await harness.deploy(app('doomed-app', namespace, { clusters: ['beijing-1', 'beijing-2'] }));
    const trigger = await engine.store.triggers.create({
      id: 'a1b2c3d4e5f60718293a',
      namespace,
      application: 'doomed-app',
      component: 'doomed-app-web',
      source: 'eventbridge',
      image: 'registry.example.com/web:${tag}',
      events: [{ on: 'image', repositories: ['web'] }],
      description: 'goes with its application',
      createdAt: new Date().toISOString(),
      version: 1,
    });
    const record = await engine.store.applications.get(namespace, 'doomed-app');
    await engine.store.applications.markDeleting(namespace, 'doomed-app', record!.version);
    await engine.queues.toPlanner([{ kind: 'delete', namespace, name: 'doomed-app', force: false }]);
    await expectEventually(async () => (await engine.store.applications.get(namespace, 'doomed-app')) === undefined);
    expect(await engine.store.triggers.get(trigger.id)).toBeUndefined();
    for (const cluster of ['beijing-1', 'beijing-2']) {
      expect(await readyReplicas(harness.cluster(cluster), namespace, 'doomed-app-web')).toBeUndefined();
    }
  });

  it('a cluster that dies mid-deploy fails only its own target, after the step timeout, with a message naming it', async () => {
    const [dead] = await clustersUp([`dead-${suffix}`]);
    await harness.registry.join({ name: dead!.name, kubeconfig: await readFile(dead!.kubeconfig, 'utf8') });
    await clustersDown([dead!.name]);
    const namespace = `dead-${suffix}`;
    const steps = [{ name: 'ship', type: 'deploy', timeout: '15s', properties: { policies: ['here'] } }];
    const started = Date.now();
    const status = await harness.deploy(app('survivor', namespace, { clusters: ['beijing-1', dead!.name], steps }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(14_000);
    expect(status.workflow?.steps[0]?.phase).toBe('failed');
    expect(status.workflow?.steps[0]?.message).toContain(`cluster ${dead!.name}`);
    expect(status.workflow?.steps[0]?.message).toMatch(/timed out/);
    expect(status.services.find((s) => s.cluster === 'beijing-1')).toMatchObject({ healthy: true, message: 'Ready:1/1' });
    const targets = await engine.store.targets.listForRun((await engine.store.runs.listForApplication(namespace, 'survivor'))[0]!.runId);
    const alive = targets.find((t) => t.cluster === 'beijing-1');
    expect(alive?.phase).toBe('succeeded');
    expect(Date.parse(alive!.finishedAt!) - started).toBeLessThan(10_000);
    await harness.registry.detach(dead!.name, { force: true });
  });

  it('a newer revision supersedes the running one, whose remaining orders are dropped by the appliers', async () => {
    const namespace = `supersede-${suffix}`;
    const steps = [
      { name: 'approve', type: 'suspend' },
      { name: 'ship', type: 'deploy', properties: { policies: ['here'] } },
    ];
    const { name } = await harness.submit(app('superseded', namespace, { steps }));
    await harness.waitFor(namespace, name, (s) => s.about.status === 'workflowSuspending');
    const [oldRun] = await engine.store.runs.listForApplication(namespace, name);

    const newer = await harness.deploy(app('superseded', namespace, { replicas: 2 }));
    expect(newer.about.status).toBe('running');
    const old = await engine.store.runs.get(oldRun!.runId);
    expect(old).toMatchObject({ phase: 'terminated', message: 'superseded by superseded-v2' });

    // An order of the old run still in a queue: fenced off, nothing is applied.
    const { applyOrder } = await import('../../../lib/engine/applier/apply-order.ts');
    const stale = {
      kind: 'apply' as const,
      runId: oldRun!.runId,
      stepId: oldRun!.steps[1]!.id,
      cluster: 'beijing-1',
      namespace,
      createNamespace: true,
      deadline: new Date(Date.now() + 60_000).toISOString(),
      payload: { where: 'inline' as const, resources: [], components: [] },
    };
    expect(await applyOrder(engine, stale, 1)).toMatch(/dropped \(run .* is terminated\)/);
    // The same with the run's identity carried (as the planner's orders do), read with the live pointer in one batch.
    expect(await applyOrder(engine, { ...stale, of: { namespace, application: name, revision: oldRun!.revision } }, 1)).toMatch(/dropped \(run .* is terminated\)/);
    // An order whose identity does not match its run is never acted on, even for the live run.
    const [liveRun] = (await engine.store.runs.listForApplication(namespace, name)).filter((r) => r.phase !== 'terminated');
    const forged = { ...stale, runId: liveRun!.runId, stepId: liveRun!.steps[0]!.id, of: { namespace, application: 'someone-else', revision: liveRun!.revision } };
    expect(await applyOrder(engine, forged, 1)).toMatch(/dropped \(order names .*someone-else revision \d+, but run .* runs /);
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'superseded-web')).toBe(2);
  });

  it('a forced delete orphans the objects of an unreachable cluster instead of hanging', async () => {
    const [gone] = await clustersUp([`gone-${suffix}`]);
    await harness.registry.join({ name: gone!.name, kubeconfig: await readFile(gone!.kubeconfig, 'utf8') });
    const namespace = `orphan-${suffix}`;
    const deployed = await harness.deploy(app('orphaned', namespace, { clusters: ['beijing-1', gone!.name] }));
    expect(deployed.about.status).toBe('running');
    await clustersDown([gone!.name]);

    const record = await engine.store.applications.get(namespace, 'orphaned');
    await engine.store.applications.markDeleting(namespace, 'orphaned', record!.version);
    // Without force the removal is retried, and status says which cluster holds it up and why.
    await engine.queues.toPlanner([{ kind: 'delete', namespace, name: 'orphaned', force: false }]);
    const stuck = await harness.waitFor(namespace, 'orphaned', (s) => (s.cleanup ?? []).length > 0, 60_000);
    expect(stuck.about.status).toBe('deleting');
    expect(stuck.cleanup?.[0]).toMatchObject({ cluster: gone!.name });
    expect(stuck.cleanup?.[0]?.message).toMatch(/ECONNREFUSED/);
    await engine.queues.toPlanner([{ kind: 'delete', namespace, name: 'orphaned', force: true }]);
    await expectEventually(async () => (await engine.store.applications.get(namespace, 'orphaned')) === undefined, 60_000);
    expect(await readyReplicas(harness.cluster('beijing-1'), namespace, 'orphaned-web')).toBeUndefined();
    const orphans = (await engine.store.inventories.listOrphans()).filter((o) => o.cluster === gone!.name);
    expect(orphans.flatMap((o) => o.inventories.map((i) => i.application))).toContain('orphaned');
    await harness.registry.detach(gone!.name, { force: true });
  });

  it('objects too large for an SQS message are stored and referenced, not truncated', async () => {
    const namespace = `large-${suffix}`;
    const big = 'x'.repeat(300 * 1024);
    const components = [
      {
        name: 'blob',
        type: 'k8s-objects',
        properties: { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blob' }, data: { big } }] },
      },
    ];
    const status = await harness.deploy(app('large', namespace, { components }));
    expect(status.about.status).toBe('running');
    const live = (await harness.cluster('beijing-1').read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blob', namespace } })) as
      | { data?: Record<string, string> }
      | undefined;
    expect(live?.data?.big?.length).toBe(big.length);
  });
});

async function expectEventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
