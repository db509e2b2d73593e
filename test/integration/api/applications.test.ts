// Applications through HTTP in the local runtime, deployed for real to beijing-1: submit (created, unchanged, a new
// revision for a new publishVersion), get, list, revisions, status as JSON, text and YAML, every workflow operation,
// and delete.
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import {
  ApplicationDetail,
  ApplicationList,
  DeleteApplicationResult,
  RevisionDetail,
  RevisionList,
  SubmitApplicationResult,
} from '../../../contract/application-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { WorkflowOperationAccepted } from '../../../contract/workflow-schemas.ts';
import { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { call } from './api-server.ts';
import { eventually, startRuntimeApi, type RuntimeApi } from './runtime-api.ts';

const kubeconfigPaths = inject('clusterKubeconfigs');
const namespace = `api-apps-${Date.now().toString(36)}`;
const base = `/namespaces/${namespace}/applications/api-demo`;

let api: RuntimeApi;
let admin: { token: string };

function demo(options: { publishVersion?: string; replicas?: number; suspendFirst?: boolean } = {}) {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: {
      name: 'api-demo',
      namespace,
      ...(options.publishVersion === undefined ? {} : { annotations: { 'app.oam.dev/publishVersion': options.publishVersion } }),
    },
    spec: {
      components: [
        {
          name: 'api-demo-web',
          type: 'webservice',
          properties: { image: 'crccheck/hello-world', port: 8000 },
          traits: [{ type: 'scaler', properties: { replicas: options.replicas ?? 1 } }],
        },
      ],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], createNamespace: true } }],
      ...(options.suspendFirst
        ? { workflow: { steps: [{ name: 'approve', type: 'suspend' }, { name: 'ship', type: 'deploy', properties: { policies: ['here'] } }] } }
        : {}),
    },
  };
}

async function status(): Promise<ApplicationStatus> {
  const answer = await call(api, 'GET', `${base}/status`, admin);
  expect(answer.status).toBe(200);
  return ApplicationStatus.parse(answer.json);
}

/** Waits until the status shows `revision` in a state `done` accepts. */
function statusOf(revision: string, done: (s: ApplicationStatus) => boolean): Promise<ApplicationStatus> {
  return eventually(`${revision} to settle`, async () => {
    const current = await status();
    return current.workflow?.revision === revision && done(current) ? current : undefined;
  });
}
const finished = (s: ApplicationStatus) => s.workflow?.finished === true;

beforeAll(async () => {
  api = await startRuntimeApi();
  admin = { token: api.adminToken };
  const joined = await call(api, 'POST', '/clusters', { ...admin, body: { kubeconfig: await readFile(kubeconfigPaths['beijing-1']!, 'utf8') } });
  expect(joined.status).toBe(201);
});
afterAll(async () => {
  await api?.stop();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPaths['beijing-1']!);
  await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => undefined);
});

describe('applications through the API', () => {
  it('accepts YAML with 202, a revision and the status URL; the workflow runs', async () => {
    const answer = await call(api, 'POST', '/applications', { ...admin, body: stringify(demo()), contentType: 'application/yaml' });
    expect(answer.status).toBe(202);
    const submitted = SubmitApplicationResult.parse(answer.json);
    expect(submitted).toEqual({
      name: 'api-demo',
      namespace,
      revision: 'api-demo-v1',
      revisionNumber: 1,
      outcome: 'created',
      status: `${api.url}${base}/status`,
    });
    expect(answer.headers.get('location')).toBe(submitted.status);
    const done = await statusOf('api-demo-v1', finished);
    expect(done.about.status).toBe('running');
    expect(done.services.map((s) => [s.name, s.cluster, s.healthy])).toEqual([['api-demo-web', 'beijing-1', true]]);
    // What the run cost: the planner's and the applier's requests, their GB-seconds at the CDK's memory sizes, in USD.
    const cost = await eventually('the run cost to be recorded', async () => {
      const figures = (await status()).cost;
      return figures && figures.targets.length === 1 && figures.run.usage.lambdaGbSeconds > 0 ? figures : undefined;
    });
    expect(cost.prices).toMatchObject({ region: 'us-east-1', asOf: '2024-11-01' });
    const { usage, usd } = cost.run;
    expect(usage.dynamodbRequests).toBeGreaterThan(5);
    expect(usage.dynamodbWriteUnits).toBeGreaterThan(0);
    expect(usage.sqsRequests).toBeGreaterThan(1);
    // The apply order went through the FIFO applier queue.
    expect(usage.sqsFifoRequests).toBeGreaterThanOrEqual(1);
    expect(usage.lambdaInvocations).toBeGreaterThanOrEqual(1);
    expect(usd.total).toBeGreaterThan(0);
    expect(usd.total).toBeCloseTo(usd.dynamodb + usd.sqs + usd.lambda, 12);
    const [target] = cost.targets;
    expect(target).toMatchObject({ step: expect.any(String), cluster: 'beijing-1', namespace });
    expect(target!.usage.dynamodbRequests).toBeGreaterThan(0);
    expect(target!.usage.dynamodbRequests).toBeLessThan(usage.dynamodbRequests);
    expect(target!.usage.lambdaGbSeconds).toBeGreaterThan(0);
    expect(target!.usage.lambdaGbSeconds).toBeLessThan(usage.lambdaGbSeconds);
    const text = (await call(api, 'GET', `${base}/status`, { ...admin, headers: { accept: 'text/plain' } })).text;
    expect(text).toMatch(/\nCost:\n\n  DynamoDB: \t\d+ requests, [\d.]+ read and [\d.]+ write units\n/);
    expect(text).toMatch(/  Per target:\n  STEP.*\n.*\tbeijing-1\t/);
  });

  it('answers unchanged for the same document as JSON, and stores nothing new', async () => {
    const answer = await call(api, 'POST', '/applications', { ...admin, body: demo() });
    expect(answer.status).toBe(202);
    // Nothing new runs, so the answer says what does: the latest run, of v1, which has succeeded.
    expect(SubmitApplicationResult.parse(answer.json)).toMatchObject({ revision: 'api-demo-v1', outcome: 'unchanged', latestRun: { revision: 'api-demo-v1', phase: 'succeeded' } });
    expect(await api.store.applications.listRevisions(namespace, 'api-demo')).toHaveLength(1);
    expect(await api.store.runs.listForApplication(namespace, 'api-demo')).toHaveLength(1);
  });

  it('makes a new revision when only app.oam.dev/publishVersion changes', async () => {
    const answer = await call(api, 'POST', '/applications', { ...admin, body: demo({ publishVersion: 'release-2' }) });
    expect(SubmitApplicationResult.parse(answer.json)).toMatchObject({ revision: 'api-demo-v2', revisionNumber: 2, outcome: 'created' });
    await statusOf('api-demo-v2', finished);
  });

  it('shows the application with its current document, and lists it', async () => {
    const detail = ApplicationDetail.parse((await call(api, 'GET', base, admin)).json);
    expect(detail).toMatchObject({ namespace, name: 'api-demo', revision: 'api-demo-v2', revisionNumber: 2, publishVersion: 'release-2', deleting: false });
    expect(detail.document).toMatchObject({ metadata: { name: 'api-demo', namespace, annotations: { 'app.oam.dev/publishVersion': 'release-2' } } });

    const inNamespace = ApplicationList.parse((await call(api, 'GET', `/applications?namespace=${namespace}`, admin)).json);
    expect(inNamespace.applications.map((a) => [a.name, a.revision])).toEqual([['api-demo', 'api-demo-v2']]);
    const everywhere = ApplicationList.parse((await call(api, 'GET', '/applications', admin)).json);
    expect(everywhere.applications.map((a) => a.name)).toContain('api-demo');
  });

  it('shows a token limited to other namespaces nothing, and one limited to this namespace its application', async () => {
    const mint = async (namespaces: string[]) =>
      CreatedToken.parse((await call(api, 'POST', '/tokens', { ...admin, body: { name: 'scoped', role: 'deployer', namespaces } })).json).token;
    const elsewhere = await mint(['somewhere-else']);
    expect(ApplicationList.parse((await call(api, 'GET', '/applications', { token: elsewhere })).json).applications).toEqual([]);
    const here = await mint([namespace]);
    expect(ApplicationList.parse((await call(api, 'GET', '/applications', { token: here })).json).applications.map((a) => a.name)).toEqual(['api-demo']);
    expect((await call(api, 'GET', `${base}/status`, { token: here })).status).toBe(200);
  });

  it('lists revisions newest first, marking the current one and those that succeeded', async () => {
    const { revisions } = RevisionList.parse((await call(api, 'GET', `${base}/revisions`, admin)).json);
    expect(revisions.map((r) => [r.name, r.current, r.succeeded, r.publishVersion])).toEqual([
      ['api-demo-v2', true, true, 'release-2'],
      ['api-demo-v1', false, true, undefined],
    ]);
  });

  it('serves the status as the vela text layout, as YAML, and narrowed to one service', async () => {
    const text = await call(api, 'GET', `${base}/status`, { ...admin, headers: { accept: 'text/plain' } });
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.text).toMatch(new RegExp(`^About:\\n\\n  Name:\\s+api-demo\\n  Namespace:\\s+${namespace}\\n`));
    expect(text.text).toContain('Workflow:');
    expect(text.text).toContain('- Name: api-demo-web');
    expect(text.text).toContain('Cluster: beijing-1');

    const yaml = await call(api, 'GET', `${base}/status`, { ...admin, headers: { accept: 'application/yaml' } });
    expect(yaml.headers.get('content-type')).toBe('application/yaml');
    expect(ApplicationStatus.parse(parseYaml(yaml.text))).toEqual(await status());

    const narrowed = ApplicationStatus.parse((await call(api, 'GET', `${base}/status?svc=nothing-by-that-name`, admin)).json);
    expect(narrowed.services).toEqual([]);
  });

  it('suspends, resumes, rolls back and restarts the workflow', async () => {
    expect(SubmitApplicationResult.parse((await call(api, 'POST', '/applications', { ...admin, body: demo({ suspendFirst: true, replicas: 2 }) })).json).revision).toBe('api-demo-v3');
    await statusOf('api-demo-v3', (s) => s.about.status === 'workflowSuspending');

    const suspend = await call(api, 'POST', `${base}/workflow/suspend`, admin);
    expect(suspend.status).toBe(202);
    const suspended = WorkflowOperationAccepted.parse(suspend.json);
    expect(suspended).toMatchObject({ revision: 'api-demo-v3', status: `${api.url}${base}/status` });
    // The planner carries the operation out; the run it names is the one that suspends.
    const [suspendedRun] = await api.store.runs.listForApplication(namespace, 'api-demo');
    expect(suspendedRun).toMatchObject({ runId: suspended.runId, phase: 'suspended' });

    const resume = await call(api, 'POST', `${base}/workflow/resume`, admin);
    expect(resume.status).toBe(202);
    expect(WorkflowOperationAccepted.parse(resume.json).runId).toBe(suspended.runId);
    const resumed = await statusOf('api-demo-v3', finished);
    expect(resumed.workflow?.steps.find((step) => step.name === 'approve')?.phase).toBe('succeeded');

    const rollback = await call(api, 'POST', `${base}/workflow/rollback`, admin);
    expect(rollback.status).toBe(202);
    const rolledBack = WorkflowOperationAccepted.parse(rollback.json);
    expect(rolledBack).toMatchObject({ revision: 'api-demo-v2', status: `${api.url}${base}/status` });
    expect(rollback.headers.get('location')).toBe(rolledBack.status);
    await statusOf('api-demo-v2', finished);
    const [rollbackRun] = await api.store.runs.listForApplication(namespace, 'api-demo');
    expect(rollbackRun?.runId).toBe(rolledBack.runId);

    // The rollback made v2 current: restart runs v2 again, not the newer v3 the clusters no longer run.
    const restart = await call(api, 'POST', `${base}/workflow/restart`, admin);
    expect(restart.status).toBe(202);
    const restarted = WorkflowOperationAccepted.parse(restart.json);
    expect(restarted.revision).toBe('api-demo-v2');
    await eventually('the restarted run', async () => ((await api.store.runs.listForApplication(namespace, 'api-demo'))[0]?.runId === restarted.runId ? true : undefined));
    await statusOf('api-demo-v2', finished);

    // v3's document differs from what runs (v2): a new revision, numbered after the newest, runs it (and suspends).
    expect(SubmitApplicationResult.parse((await call(api, 'POST', '/applications', { ...admin, body: demo({ suspendFirst: true, replicas: 2 }) })).json)).toMatchObject({
      outcome: 'created',
      revision: 'api-demo-v4',
    });
  });

  it('terminates a suspended workflow, and refuses to resume it', async () => {
    await statusOf('api-demo-v4', (s) => s.about.status === 'workflowSuspending');
    const terminate = await call(api, 'POST', `${base}/workflow/terminate`, admin);
    expect(terminate.status).toBe(202);
    await statusOf('api-demo-v4', (s) => s.about.status === 'workflowTerminated');
    const resume = await call(api, 'POST', `${base}/workflow/resume`, admin);
    expect(resume.status).toBe(409);
    expect(resume.json).toMatchObject({ error: { code: 'workflow_operation_refused', message: 'workflow api-demo is not suspended.' } });
  });

  it('shows one stored revision with its document (viewer, this namespace only); 404 for one not stored, 400 for another app\'s name', async () => {
    const viewer = async (namespaces: string[]) =>
      CreatedToken.parse((await call(api, 'POST', '/tokens', { ...admin, body: { name: 'reader', role: 'viewer', namespaces } })).json).token;
    const here = await viewer([namespace]);
    const first = await call(api, 'GET', `${base}/revisions/api-demo-v1`, { token: here });
    expect(first.status).toBe(200);
    const v1 = RevisionDetail.parse(first.json);
    expect(v1).toMatchObject({ name: 'api-demo-v1', revisionNumber: 1, current: false, succeeded: true });
    expect(v1.document).toEqual(demo());
    const v2 = RevisionDetail.parse((await call(api, 'GET', `${base}/revisions/api-demo-v2`, admin)).json);
    expect(v2).toMatchObject({ publishVersion: 'release-2', document: demo({ publishVersion: 'release-2' }) });

    const outside = await call(api, 'GET', `${base}/revisions/api-demo-v1`, { token: await viewer(['somewhere-else']) });
    expect(outside.status).toBe(403);
    expect(outside.json).toMatchObject({ error: { code: 'forbidden' } });
    expect(JSON.stringify(outside.json)).not.toContain('crccheck/hello-world');

    const missing = await call(api, 'GET', `${base}/revisions/api-demo-v9`, admin);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { code: 'revision_not_found', message: `application ${namespace}/api-demo has no revision api-demo-v9 (flotilla revisions api-demo -n ${namespace} lists them)` } });
    const otherApp = await call(api, 'GET', `${base}/revisions/other-app-v1`, admin);
    expect(otherApp.status).toBe(400);
    expect(otherApp.json).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'path.revision', message: 'names application other-app, not api-demo' }] } });
    // A viewer may read a revision but not run it.
    expect((await call(api, 'POST', `${base}/revisions/api-demo-v1/run`, { token: here })).status).toBe(403);
  });

  it('runs a stored revision again (up -r): it becomes current, as with rollback, and a new run of it deploys its spec', async () => {
    const answer = await call(api, 'POST', `${base}/revisions/api-demo-v1/run`, admin);
    expect(answer.status).toBe(202);
    const accepted = WorkflowOperationAccepted.parse(answer.json);
    expect(accepted).toMatchObject({ revision: 'api-demo-v1', status: `${api.url}${base}/status` });
    const done = await statusOf('api-demo-v1', finished);
    expect(done.about.status).toBe('running');
    const [latest] = await api.store.runs.listForApplication(namespace, 'api-demo');
    expect(latest).toMatchObject({ runId: accepted.runId, revision: 1, phase: 'succeeded' });
    // The cluster's objects were applied again from v1 (the rollback before had left v2's there).
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPaths['beijing-1']!);
    const deployment = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'api-demo-web', namespace });
    expect(deployment.metadata?.labels?.['app.oam.dev/appRevision']).toBe('api-demo-v1');
    expect((await api.store.applications.get(namespace, 'api-demo'))?.currentRevision).toBe(1);
    const listed = RevisionList.parse((await call(api, 'GET', `${base}/revisions`, admin)).json).revisions;
    expect(listed.filter((r) => r.current).map((r) => r.name)).toEqual(['api-demo-v1']);
    expect((await call(api, 'POST', `${base}/revisions/api-demo-v7/run`, admin)).status).toBe(404);
  });

  it('deletes with 202; the application is gone once its objects are', async () => {
    const answer = await call(api, 'DELETE', base, admin);
    expect(answer.status).toBe(202);
    expect(DeleteApplicationResult.parse(answer.json)).toEqual({ namespace, name: 'api-demo', deleting: true, force: false, status: `${api.url}${base}/status` });
    await eventually('the application to be gone', async () => ((await call(api, 'GET', base, admin)).status === 404 ? true : undefined));
  });
});
