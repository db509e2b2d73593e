import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureText } from '../support/builders.ts';
import { cliFixtureJson, expectGolden, fakeApis, runCli } from './cli-harness.ts';

const serve = fakeApis();

const seed = {
  'basic.yaml': fixtureText('seed/basic.yaml'),
  'advanced.yaml': fixtureText('seed/advanced.yaml'),
  'no-namespace.yaml': 'apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: shop # the shop\nspec:\n  components:\n    - name: web\n      type: webservice\n      properties: {image: nginx}\n    - name: cache\n      type: worker\n      properties: {image: redis}\n',
  'app.json': '{"apiVersion":"core.oam.dev/v1beta1","kind":"Application","metadata":{"name":"shop","namespace":"team-a"},"spec":{"components":[{"name":"web","type":"webservice","properties":{"image":"nginx"}}]}}',
};
const statusPath = '/namespaces/default/applications/example-app/status';

describe('flotilla up', () => {
  it('submits the file as YAML: progress on stderr, on stdout the revision submitted and how to watch it (nothing is deployed yet)', async () => {
    const fake = await serve({ 'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v1.json') } });
    const { code, stdout, stderr } = await runCli(['up', '-f', 'basic.yaml'], { api: fake, files: seed });
    expect(code).toBe(0);
    expect(stderr).toBe('Applying an application in vela K8s object format...\n"creating object" name="example-app" resource="core.oam.dev/v1beta1, Kind=Application"\n');
    expectGolden('up-basic.stdout.txt', stdout);
    expect(stdout.split('\n')[0]).toBe('🚀 Submitted example-app-v1: its workflow run started; nothing is deployed until it succeeds (up --wait follows it)');
    expect(stdout).not.toContain('has been deployed');
    const request = fake.requests[0]!;
    expect([request.method, request.path, request.headers['content-type']]).toEqual(['POST', '/applications', 'application/yaml']);
    expect(request.body).toBe(seed['basic.yaml']);
  });

  it('says "patching object" for a later revision, and notes an unchanged resubmit', async () => {
    const fake = await serve({ 'POST /applications': [{ status: 202, json: cliFixtureJson('api/submit-created-v3.json') }, { status: 202, json: cliFixtureJson('api/submit-unchanged-v3.json') }] });
    const first = await runCli(['up', '-f', 'advanced.yaml'], { api: fake, files: seed });
    expect(first.stderr).toContain('"patching object" name="example-app"');
    const again = await runCli(['up', '-f', 'advanced.yaml'], { api: fake, files: seed });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('"patching object" name="example-app"');
    expect(again.stdout.split('\n')[0]).toBe('➖ Unchanged: example-app has not changed since example-app-v3, no workflow run started.');
    expect(again.stdout).not.toContain('has been deployed');
  });

  it('says what runs instead when the resubmit changed nothing', async () => {
    const unchanged = { ...(cliFixtureJson('api/submit-unchanged-v3.json') as object), latestRun: { revision: 'example-app-v2', phase: 'running' } };
    const fake = await serve({ 'POST /applications': { status: 202, json: unchanged } });
    const again = await runCli(['up', '-f', 'advanced.yaml'], { api: fake, files: seed });
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe('➖ Unchanged: example-app has not changed since example-app-v3, no workflow run started. The latest workflow run, of example-app-v2, is running.');
  });

  it('says why spec edits under an unchanged publishVersion start no run', async () => {
    const pinned = { ...(cliFixtureJson('api/submit-unchanged-v3.json') as object), unchangedBecause: 'same-publish-version', publishVersion: '7' };
    const fake = await serve({ 'POST /applications': { status: 202, json: pinned } });
    const again = await runCli(['up', '-f', 'advanced.yaml'], { api: fake, files: seed });
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe(
      '➖ Unchanged: example-app-v3 already has publishVersion 7; spec edits under it do not run (set a new app.oam.dev/publishVersion to run them), no workflow run started.',
    );
  });

  it('sends JSON as JSON', async () => {
    const fake = await serve({ 'POST /applications': { status: 202, json: { ...(cliFixtureJson('api/submit-created-v1.json') as object), name: 'shop', namespace: 'team-a' } } });
    const { stdout } = await runCli(['up', '-f', 'app.json'], { api: fake, files: seed });
    expect(fake.requests[0]!.headers['content-type']).toBe('application/json');
    expect(fake.requests[0]!.body).toBe(seed['app.json']);
    // The hints name the namespace, since status would not find the app without it.
    expect(stdout).toContain('      App status: flotilla status shop -n team-a\n  Service status: flotilla status shop -n team-a --svc web\n');
  });

  it('fills in -n (or FLOTILLA_NAMESPACE) where the document names no namespace, keeping the rest of the file', async () => {
    const fake = await serve({ 'POST /applications': { status: 202, json: { ...(cliFixtureJson('api/submit-created-v1.json') as object), name: 'shop', namespace: 'team-a' } } });
    const { stdout } = await runCli(['up', '-f', 'no-namespace.yaml'], { api: fake, files: seed, env: { FLOTILLA_NAMESPACE: 'team-a' } });
    expect(fake.requests[0]!.body).toContain('  name: shop # the shop\n  namespace: team-a\n');
    expect(parse(fake.requests[0]!.body)).toMatchObject({ metadata: { name: 'shop', namespace: 'team-a' } });
    // team-a is what status uses here without -n.
    expect(stdout).toBe('🚀 Submitted example-app-v1: its workflow run started; nothing is deployed until it succeeds (up --wait follows it)\n      App status: flotilla status shop\n  Service status: flotilla status shop --svc web\n  Service status: flotilla status shop --svc cache\n');
    await runCli(['up', '-f', 'no-namespace.yaml', '-n', 'team-b'], { api: fake, files: seed });
    expect(parse(fake.requests[1]!.body)).toMatchObject({ metadata: { namespace: 'team-b' } });
  });

  it('exits 2 when -n contradicts the document, without submitting', async () => {
    const fake = await serve({});
    const { code, stderr } = await runCli(['up', '-f', 'basic.yaml', '-n', 'team-a'], { api: fake, files: seed });
    expect(code).toBe(2);
    expect(stderr).toBe("error: the Application's metadata.namespace is default, not team-a as -n says; drop -n or change the file\n");
    expect(fake.requests).toEqual([]);
  });

  it.each(['json', 'yaml'] as const)('-o %s prints only the API answer', async (format) => {
    const fake = await serve({ 'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v1.json') } });
    const { code, stdout, stderr } = await runCli(['up', '-f', 'basic.yaml', '-o', format], { api: fake, files: seed });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(format === 'json' ? JSON.parse(stdout) : parse(stdout)).toEqual(cliFixtureJson('api/submit-created-v1.json'));
    expectGolden(`up-basic.${format}`, stdout);
  });

  it("exits 1 with every problem the API found in the document", async () => {
    const message = '2 problems:\n  metadata.name: application name must be a DNS-1123 label\n  spec.components: must list at least 1 item';
    const fake = await serve({
      'POST /applications': {
        status: 400,
        json: {
          error: {
            code: 'validation_failed',
            message,
            details: [
              { path: 'metadata.name', message: 'application name must be a DNS-1123 label' },
              { path: 'spec.components', message: 'must list at least 1 item' },
            ],
          },
        },
      },
    });
    const { code, stdout, stderr } = await runCli(['up', '-f', 'basic.yaml'], { api: fake, files: seed });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`Applying an application in vela K8s object format...\nError: ${message}\n`);
  });
});

describe('flotilla status', () => {
  it.each([
    ['basic', 'status-basic.json'],
    ['intermediate', 'status-intermediate.json'],
    ['advanced', 'status-advanced.json'],
    ['failed', 'status-failed.json'],
  ])("prints the %s status in vela v1.3's layout, then when health was read", async (name, fixture) => {
    const fake = await serve({ [`GET ${statusPath}`]: { json: cliFixtureJson(`api/${fixture}`) } });
    const { code, stdout, stderr } = await runCli(['status', 'example-app'], { api: fake });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expectGolden(`status-${name}.txt`, stdout);
  });

  it("prints the article's basic screen line for line", async () => {
    const fake = await serve({ [`GET ${statusPath}`]: { json: cliFixtureJson('api/status-basic.json') } });
    const { stdout } = await runCli(['status', 'example-app'], { api: fake });
    const article = [
      'About:',
      'Name: example-app',
      'Namespace: default',
      'Created at: 2022-03-25 09:42:33 +0000 UTC',
      'Status: running',
      'Workflow:',
      'mode: DAG',
      'finished: true',
      'Suspend: false',
      'Terminated: false',
      'Steps',
      '- id:wftf9d4exj',
      'name:deploy-beijing-clusters',
      'type:deploy',
      'phase:succeeded',
      'message:',
      'Services:',
      '- Name: hello-world-server',
      'Cluster: beijing-1 Namespace: default',
      'Type: webservice',
      'Healthy Ready:3/3',
      'Traits:',
      '✅ scaler ✅ gateway: Visiting URL: testsvc-mc.example.com, IP: 60.205.222.30',
      '- Name: hello-world-server',
      'Cluster: beijing-2 Namespace: default',
      'Type: webservice',
      'Healthy Ready:3/3',
      'Traits:',
      '✅ scaler ✅ gateway: Visiting URL: testsvc-mc.example.com, IP: 182.92.222.128',
    ];
    const screen = stdout.split('\n').map((line) => line.replace(/\s+/g, ' ').trim()).filter((line) => line !== '');
    expect(screen.slice(0, article.length)).toEqual(article);
    expect(screen.slice(article.length)).toEqual(['Health:', 'Checked at: 2022-03-25 09:45:00 +0000 UTC (30s ago)']);
  });

  it('asks the namespace given by -n, FLOTILLA_NAMESPACE or default, and --svc', async () => {
    const fake = await serve({ 'GET /namespaces/team-a/applications/example-app/status': { json: cliFixtureJson('api/status-basic.json') } });
    await runCli(['status', 'example-app', '-n', 'team-a', '--svc', 'hello-world-server'], { api: fake });
    await runCli(['status', 'example-app'], { api: fake, env: { FLOTILLA_NAMESPACE: 'team-a' } });
    expect(fake.requests.map((request) => request.query)).toEqual([{ svc: 'hello-world-server' }, {}]);
  });

  it.each(['json', 'yaml'] as const)('-o %s prints the status model only', async (format) => {
    const fake = await serve({ [`GET ${statusPath}`]: { json: cliFixtureJson('api/status-advanced.json') } });
    const { code, stdout, stderr } = await runCli(['status', 'example-app', '-o', format], { api: fake });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(format === 'json' ? JSON.parse(stdout) : parse(stdout)).toEqual(cliFixtureJson('api/status-advanced.json'));
    expectGolden(`status-advanced.${format}`, stdout);
  });

  it('colours the phase and health on a terminal, never with -o', async () => {
    const fake = await serve({ [`GET ${statusPath}`]: { json: cliFixtureJson('api/status-basic.json') } });
    expect((await runCli(['status', 'example-app'], { api: fake, tty: { columns: 100 } })).stdout).toContain('\u001b[32mrunning\u001b[39m');
    expect((await runCli(['status', 'example-app', '-o', 'json'], { api: fake, tty: { columns: 100 } })).stdout).not.toContain('\u001b[');
  });

  it('exits 1 when --svc names no component that has services', async () => {
    const fake = await serve({ [`GET ${statusPath}`]: { json: { ...(cliFixtureJson('api/status-basic.json') as object), services: [] } } });
    expect(await runCli(['status', 'example-app', '--svc', 'redis'], { api: fake })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: example-app has no service of a component named redis (yet)\n',
    });
  });

  it('exits 1 for an unknown application', async () => {
    const fake = await serve({
      [`GET ${statusPath}`]: { status: 404, json: { error: { code: 'application_not_found', message: 'no application example-app in namespace default', details: [] } } },
    });
    expect(await runCli(['status', 'example-app'], { api: fake })).toEqual({ code: 1, stdout: '', stderr: 'Error: no application example-app in namespace default\n' });
  });
});

describe('flotilla ls and revisions', () => {
  it.each([
    ['txt', []],
    ['json', ['-o', 'json']],
    ['yaml', ['-o', 'yaml']],
  ])('ls: %s', async (extension, flags) => {
    const fake = await serve({ 'GET /applications': { json: cliFixtureJson('api/applications.json') } });
    const { code, stdout, stderr } = await runCli(['ls', ...flags], { api: fake });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expectGolden(`ls.${extension}`, stdout);
    expect(fake.requests[0]!.query).toEqual({});
  });

  it('ls -n asks one namespace and says so when it is empty', async () => {
    const fake = await serve({ 'GET /applications': { json: { applications: [] } } });
    expect(await runCli(['ls', '-n', 'team-b'], { api: fake })).toEqual({ code: 0, stdout: '', stderr: 'No application found in namespace team-b.\n' });
    expect(fake.requests[0]!.query).toEqual({ namespace: 'team-b' });
    expect((await runCli(['ls', '-o', 'json'], { api: fake })).stdout).toBe('[]\n');
  });

  it.each([
    ['txt', []],
    ['json', ['-o', 'json']],
    ['yaml', ['-o', 'yaml']],
  ])('revisions: %s', async (extension, flags) => {
    const fake = await serve({ 'GET /namespaces/default/applications/example-app/revisions': { json: cliFixtureJson('api/revisions.json') } });
    const { code, stdout, stderr } = await runCli(['revisions', 'example-app', ...flags], { api: fake });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expectGolden(`revisions.${extension}`, stdout);
  });
});

describe('flotilla delete', () => {
  const deleted = { namespace: 'default', name: 'example-app', deleting: true, force: false, status: `http://flotilla.test${statusPath}` };

  it('starts the deletion and says so', async () => {
    const fake = await serve({ 'DELETE /namespaces/default/applications/example-app': { status: 202, json: deleted } });
    expect(await runCli(['delete', 'example-app'], { api: fake })).toEqual({
      code: 0,
      stdout: 'app "example-app" is being deleted from namespace "default"\n',
      stderr: 'Deleting Application "example-app"\n',
    });
    expect(fake.requests[0]!.query).toEqual({});
  });

  it('--force --wait: waits until the status answers 404', async () => {
    const deletingStatus = { ...(cliFixtureJson('api/status-basic.json') as Record<string, object>) };
    deletingStatus.about = { ...deletingStatus.about, status: 'deleting' };
    const fake = await serve({
      'DELETE /namespaces/default/applications/example-app': { status: 202, json: { ...deleted, force: true } },
      [`GET ${statusPath}`]: [
        { json: deletingStatus },
        { json: deletingStatus },
        { status: 404, json: { error: { code: 'application_not_found', message: 'no application example-app in namespace default', details: [] } } },
      ],
      'GET /namespaces/default/applications/example-app/orphans': {
        json: {
          orphans: [
            {
              cluster: 'us-west-1',
              revision: 2,
              resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }],
              reason: 'cannot remove 1 objects of revision 2 from cluster us-west-1: connect ECONNREFUSED',
              recordedAt: '2026-01-01T00:00:00.000Z',
            },
          ],
        },
      },
    });
    const { code, stdout, stderr } = await runCli(['delete', 'example-app', '--force', '--wait'], { api: fake });
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout:
        'app "example-app" deleted from namespace "default"\n' +
        'left in cluster us-west-1 (revision 2, 2026-01-01T00:00:00.000Z): Deployment default/web\n' +
        '  because cannot remove 1 objects of revision 2 from cluster us-west-1: connect ECONNREFUSED\n',
    });
    expect(stderr).toBe('Deleting Application "example-app"\nWaiting for example-app to be deleted (timeout 5m0s)\nexample-app: deleting\nexample-app: deleted\n');
    expect(fake.requests[0]!.query).toEqual({ force: 'true' });
  });

  it('--wait: exits 1 when the time is up', async () => {
    const deletingStatus = { ...(cliFixtureJson('api/status-basic.json') as Record<string, object>) };
    deletingStatus.about = { ...deletingStatus.about, status: 'deleting' };
    const fake = await serve({
      'DELETE /namespaces/default/applications/example-app': { status: 202, json: deleted },
      [`GET ${statusPath}`]: { json: deletingStatus },
    });
    const { code, stderr } = await runCli(['delete', 'example-app', '--wait', '--timeout', '10s', '--poll-interval', '2s'], { api: fake });
    expect(code).toBe(1);
    expect(stderr.split('\n').at(-2)).toBe('Error: timed out after 10s waiting for example-app to be deleted (example-app: deleting)');
    expect(fake.requests.filter((request) => request.method === 'GET')).toHaveLength(6);
  });
});

describe('flotilla workflow', () => {
  const queued = (revision: string) => ({ runId: '01HQ3K8V5N2M4P6R8T0W2Y4A6E', revision, status: `http://flotilla.test${statusPath}` });
  const base = '/namespaces/team-a/applications/example-app/workflow';

  it.each([
    ['suspend', { status: 202, json: queued('example-app-v3') }, 'Successfully suspend workflow: example-app\n', ''],
    ['resume', { status: 202, json: queued('example-app-v3') }, 'Successfully resume workflow: example-app\n', ''],
    ['terminate', { status: 202, json: queued('example-app-v3') }, 'Successfully terminate workflow: example-app\n', ''],
    ['restart', { status: 202, json: queued('example-app-v3') }, 'Successfully restart workflow: example-app runs example-app-v3 from the first step\n', 'Follow it with: flotilla status example-app -n team-a\n'],
    ['rollback', { status: 202, json: queued('example-app-v2') }, 'Successfully rollback workflow: example-app runs example-app-v2 again\n', 'Follow it with: flotilla status example-app -n team-a\n'],
  ])('%s', async (operation, reply, stdout, stderr) => {
    const fake = await serve({ [`POST ${base}/${operation}`]: reply });
    expect(await runCli(['workflow', operation, 'example-app', '-n', 'team-a'], { api: fake })).toEqual({ code: 0, stdout, stderr });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${base}/${operation}`]);
  });

  it('exits 1 when the workflow is not in a state the operation applies to', async () => {
    const fake = await serve({
      [`POST ${base}/resume`]: { status: 409, json: { error: { code: 'workflow_operation_refused', message: 'workflow example-app is not suspended', details: [] } } },
    });
    expect(await runCli(['workflow', 'resume', 'example-app', '-n', 'team-a'], { api: fake })).toEqual({ code: 1, stdout: '', stderr: 'Error: workflow example-app is not suspended\n' });
  });
});

describe('flotilla revision get and up -r', () => {
  const base = '/namespaces/team-a/applications/example-app/revisions';
  const document = { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'example-app', namespace: 'team-a' }, spec: { components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }] } };
  const detail = { name: 'example-app-v1', revisionNumber: 1, specHash: '5a1d9b88e2f04c71', createdAt: '2022-03-25T09:42:33.000Z', current: false, succeeded: true, document };

  it.each([
    ['yaml by default', [], 'apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: example-app\n  namespace: team-a\nspec:\n  components:\n    - name: web\n      type: webservice\n      properties:\n        image: nginx\n'],
    ['json with -o json', ['-o', 'json'], `${JSON.stringify(document, null, 2)}\n`],
  ])('revision get prints the stored document: %s', async (_, flags, stdout) => {
    const fake = await serve({ [`GET ${base}/example-app-v1`]: { json: detail } });
    expect(await runCli(['revision', 'get', 'example-app-v1', '-n', 'team-a', ...flags], { api: fake })).toEqual({ code: 0, stdout, stderr: '' });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET ${base}/example-app-v1`]);
  });

  it('revision get of a revision that is not stored exits 1 with the API reason', async () => {
    const message = 'application team-a/example-app has no revision example-app-v9 (flotilla revisions example-app -n team-a lists them)';
    const fake = await serve({ [`GET ${base}/example-app-v9`]: { status: 404, json: { error: { code: 'revision_not_found', message, details: [] } } } });
    expect(await runCli(['revision', 'get', 'example-app-v9', '-n', 'team-a'], { api: fake })).toEqual({ code: 1, stdout: '', stderr: `Error: ${message}\n` });
  });

  it('up -r asks the planner to run the stored revision and says how to follow it', async () => {
    const accepted = { runId: '01HQ3K8V5N2M4P6R8T0W2Y4A6E', revision: 'example-app-v1', status: `http://flotilla.test/namespaces/team-a/applications/example-app/status` };
    const fake = await serve({ [`POST ${base}/example-app-v1/run`]: { status: 202, json: accepted } });
    expect(await runCli(['up', '-r', 'example-app-v1', '-n', 'team-a'], { api: fake })).toEqual({
      code: 0,
      stdout: 'Application example-app runs example-app-v1 again from the first step\n',
      stderr: 'Follow it with: flotilla status example-app -n team-a\n',
    });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${base}/example-app-v1/run`]);
    expect(JSON.parse((await runCli(['up', '-r', 'example-app-v1', '-n', 'team-a', '-o', 'json'], { api: fake })).stdout)).toEqual(accepted);
  });

  it.each([
    ['a malformed revision name', ['revision', 'get', 'example-app'], 'is no revision name: give it as APP-vN'],
    ['a malformed -r', ['up', '-r', 'example-app-v0'], 'is no revision name: give it as APP-vN'],
    ['both -f and -r', ['up', '-f', 'basic.yaml', '-r', 'example-app-v1'], 'give either -f FILE (submit an Application) or -r APP-vN (run a stored revision again)'],
    ['neither -f nor -r', ['up'], 'give either -f FILE'],
    ['--wait with -r', ['up', '-r', 'example-app-v1', '--wait'], '--wait follows a submitted file'],
  ])('refuses %s with exit 2 before any request', async (_, argv, message) => {
    const fake = await serve({});
    const { code, stdout, stderr } = await runCli(argv, { api: fake, files: seed });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
    expect(fake.requests).toEqual([]);
  });
});
