// Secret data in Applications, through the API and the engine on moto and the real member cluster beijing-1: the
// table never holds a value in the clear (revision, application, target and payload items alike), the Secret arrives
// in the cluster with its data, every answer and status shows `<redacted>`, an unchanged resubmit stays unchanged and
// a changed value makes a new revision that reaches the cluster.
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshallItem } from '../../../lib/adapters/dynamodb/attribute-value.ts';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { revisionKey } from '../../../lib/adapters/dynamodb/keys.ts';
import { deployImage } from '../../../integrations/triggers/deploy-image.ts';
import { startEngineHarness, type EngineHarness } from './engine-harness.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';

let harness: EngineHarness;
let runtimeModule: typeof import('../../../functions/runtime.ts');
let tableName: string;
const suffix = Date.now().toString(36);
const namespace = `secrets-${suffix}`;
const name = 'vault-app';

// Values no other test writes, so finding any of them anywhere is a leak.
const password = `hunter2-${suffix}`;
const token = `tok-${suffix}-plain`;
const rotated = `rotated-${suffix}`;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const leaks = (text: string) => [password, b64(password), token, b64(token), rotated, b64(rotated)].filter((value) => text.includes(value));

function document(passwordValue: string, image = 'nginx:1.27') {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      components: [
        {
          name: 'credentials',
          type: 'k8s-objects',
          properties: {
            objects: [
              { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', data: { password: b64(passwordValue) }, stringData: { token } },
              { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'visible' } },
            ],
          },
        },
        { name: 'web', type: 'webservice', properties: { image, port: 80 } },
      ],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], namespace, createNamespace: true } }],
    },
  };
}

async function api(method: string, path: string, body?: unknown, accept = 'application/json') {
  const response = await fetch(`${harness.runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.runtime.adminToken}`, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
}

async function scanTable(): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await runtimeModule.clients.dynamodb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

const readSecret = () => harness.cluster('beijing-1').read({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace } }) as Promise<any>;

async function deployThroughApi(body: unknown) {
  const submitted = await api('POST', '/applications', body);
  expect(submitted.status, submitted.text).toBe(202);
  const result = JSON.parse(submitted.text) as { outcome: string; revision: string; revisionNumber: number };
  if (result.outcome === 'created') {
    await harness.waitFor(namespace, name, (s) => s.workflow?.revision === result.revision && s.workflow.finished, 240_000);
  }
  return result;
}

beforeAll(async () => {
  harness = await startEngineHarness({ DEFAULT_STEP_TIMEOUT_SECONDS: '240' }, { serveApi: true });
  runtimeModule = await import('../../../functions/runtime.ts');
  tableName = (await import('../../../functions/config.ts')).config.tableName;
  await harness.registry.join({ name: 'beijing-1', kubeconfig: await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8') });
});

afterAll(async () => {
  if (!harness) return;
  // The application's objects go with it; the namespace it created goes too, so the shared cluster stays clean.
  await api('DELETE', `/namespaces/${namespace}/applications/${name}`);
  const deadline = Date.now() + 60_000;
  while ((await runtimeModule.store.applications.get(namespace, name)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  await harness.cluster('beijing-1').delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).catch(() => undefined);
  await harness.stop();
});

describe('Secret data in an Application', () => {
  let first: { revision: string; revisionNumber: number };

  it('is applied to the member cluster with its data, and the table holds no value in the clear', async () => {
    first = await deployThroughApi(document(password));
    expect(first).toMatchObject({ outcome: 'created', revisionNumber: 1 });
    const status = await harness.status(namespace, name);
    expect(status?.workflow?.steps.map((step) => step.phase).filter((phase) => phase !== 'succeeded'), JSON.stringify(status?.workflow)).toEqual([]);

    const live = await readSecret();
    expect(live?.data).toEqual({ password: b64(password), token: b64(token) });

    // The revision item exactly as DynamoDB returns it: the document says <redacted>, the values are a sealed envelope.
    const key = revisionKey(namespace, name, 1);
    const raw = await runtimeModule.clients.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }));
    const item = unmarshallItem(raw.Item!);
    expect(leaks(JSON.stringify(raw.Item))).toEqual([]);
    const stored = JSON.parse(item.document as string);
    expect(stored.spec.components[0].properties.objects[0].data).toEqual({ password: '<redacted>' });
    expect(stored.spec.components[0].properties.objects[0].stringData).toEqual({ token: '<redacted>' });
    expect(stored.spec.components[0].properties.objects[1].data).toEqual({ mode: 'visible' });
    expect(JSON.parse(item.secrets as string)).toMatchObject({ algorithm: 'AES-256-GCM', keyProvider: 'key-file' });
    // Every item: application header, revision, run, targets (their rendered objects), inventories, payloads.
    const everything = await scanTable();
    expect(everything).toContain('<redacted>');
    expect(leaks(everything)).toEqual([]);
  });

  it('shows <redacted> in every answer and status, never the value nor its envelope', async () => {
    const detail = await api('GET', `/namespaces/${namespace}/applications/${name}`);
    expect(detail.status).toBe(200);
    const shown = JSON.parse(detail.text).document.spec.components[0].properties.objects[0];
    expect(shown).toMatchObject({ data: { password: '<redacted>' }, stringData: { token: '<redacted>' } });
    const answers = [
      detail,
      await api('GET', `/namespaces/${namespace}/applications/${name}/revisions`),
      await api('GET', `/namespaces/${namespace}/applications/${name}/status`),
      await api('GET', `/namespaces/${namespace}/applications/${name}/status`, undefined, 'text/plain'),
      await api('GET', `/namespaces/${namespace}/applications/${name}/status`, undefined, 'application/yaml'),
      await api('GET', `/applications?namespace=${namespace}`),
    ];
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(200);
      expect(leaks(answer.text)).toEqual([]);
      expect(answer.text).not.toMatch(/wrappedKey|ciphertext|authTag/);
    }
  });

  it('finds an unchanged resubmit unchanged, and makes a new revision when a value changes', async () => {
    const again = await deployThroughApi(document(password));
    expect(again).toMatchObject({ outcome: 'unchanged', revision: first.revision });

    const changed = await deployThroughApi(document(rotated));
    expect(changed).toMatchObject({ outcome: 'created', revisionNumber: 2 });
    expect((await readSecret())?.data).toEqual({ password: b64(rotated), token: b64(token) });
    const revisions = (await runtimeModule.store.applications.listRevisions(namespace, name)).map((revision) => revision.specHash);
    expect(new Set(revisions).size).toBe(2);
    expect(leaks(await scanTable())).toEqual([]);
  });

  it('keeps the values when a trigger derives a revision with a new image', async () => {
    const { store, queues, cipher } = runtimeModule;
    const deployed = await deployImage({ store, queues, cipher, now: () => new Date() }, { namespace, application: name, component: 'web' }, 'nginx:1.28');
    expect(deployed).toMatchObject({ outcome: 'deployed', revisionNumber: 3 });
    await harness.waitFor(namespace, name, (s) => s.workflow?.revision === deployed.revision && s.workflow.finished, 240_000);
    expect((await harness.status(namespace, name))?.workflow?.steps.map((step) => step.phase).filter((phase) => phase !== 'succeeded')).toEqual([]);
    expect((await readSecret())?.data).toEqual({ password: b64(rotated), token: b64(token) });
    expect(leaks(await scanTable())).toEqual([]);
  });

  it('is applied again with its values by drift correction, from the sealed target', async () => {
    const beijing1 = harness.cluster('beijing-1');
    await beijing1.delete({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace } });
    expect(await readSecret()).toBeUndefined();
    const refresh = await import('../../../functions/refresh.ts');
    await (refresh.handler as unknown as (e: unknown, c: unknown) => Promise<unknown>)({ task: 'drift' }, lambdaContext('refresh', 60_000));
    const deadline = Date.now() + 60_000;
    while ((await readSecret()) === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await readSecret())?.data).toEqual({ password: b64(rotated), token: b64(token) });
    expect(leaks(await scanTable())).toEqual([]);
  });
});
