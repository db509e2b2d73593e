import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliFixtureJson, expectGolden, fakeApis, runCli, tempDir } from './cli-harness.ts';

const serve = fakeApis();

/** The article's screens with runs of blanks and tabs made one blank, as the article's text shows them. */
function squeezed(text: string): string[] {
  return text.trimEnd().split('\n').map((line) => line.replace(/[ \t]+/g, ' ').trim());
}

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: beijing-1
    cluster: {server: 'https://47.95.22.71:6443', certificate-authority-data: Q0E=}
users:
  - name: admin
    user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}
contexts:
  - name: beijing-1
    context: {cluster: beijing-1, user: admin}
current-context: beijing-1
`;

describe('flotilla cluster list', () => {
  it("prints the article's first screen", async () => {
    const fake = await serve({ 'GET /clusters': { json: cliFixtureJson('api/clusters-joined.json') } });
    const { code, stdout, stderr } = await runCli(['cluster', 'list'], { api: fake });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(squeezed(stdout)).toEqual([
      'CLUSTER TYPE ENDPOINT ACCEPTED LABELS',
      'beijing-1 X509Certificate https://47.95.22.71:6443 true',
      'beijing-2 X509Certificate https://47.93.117.83:6443 true',
      'us-west-1 X509Certificate https://47.88.31.118:6443 true',
    ]);
    expectGolden('cluster-list-joined.txt', stdout);
  });

  it("prints the article's screen after labels add, with the label in the LABELS column", async () => {
    const fake = await serve({ 'GET /clusters': { json: cliFixtureJson('api/clusters-labelled.json') } });
    const { stdout } = await runCli(['cluster', 'ls'], { api: fake });
    expect(squeezed(stdout).at(-1)).toBe('us-west-1 X509Certificate https://47.88.31.118:6443 true provider=AWS');
    expectGolden('cluster-list-labelled.txt', stdout);
  });

  it('puts further labels on continuation rows with blank cells, sorted by key', async () => {
    const fake = await serve({ 'GET /clusters': { json: cliFixtureJson('api/clusters-mixed.json') } });
    const { stdout } = await runCli(['cluster', 'list'], { api: fake });
    const lines = stdout.split('\n');
    expect(lines.slice(4, 7).map((line) => line.split('\t').map((cell) => cell.trim()))).toEqual([
      ['edge-shanghai-7', 'ServiceAccountToken', 'https://10.20.30.40:443', 'false', 'provider=AliCloud'],
      ['', '', '', '', 'region=cn-east-2'],
      ['', '', '', '', 'tier=edge'],
    ]);
    expectGolden('cluster-list-mixed.txt', stdout);
  });

  it.each(['json', 'yaml'] as const)('prints the clusters as %s data, nothing else', async (format) => {
    const fake = await serve({ 'GET /clusters': { json: cliFixtureJson('api/clusters-mixed.json') } });
    const { code, stdout, stderr } = await runCli(['cluster', 'list', '-o', format], { api: fake });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const data = format === 'json' ? JSON.parse(stdout) : parse(stdout);
    expect(data).toEqual((cliFixtureJson('api/clusters-mixed.json') as { clusters: unknown }).clusters);
    expectGolden(`cluster-list-mixed.${format}`, stdout);
  });

  it('says so on stderr when there is no cluster, with nothing on stdout', async () => {
    const fake = await serve({ 'GET /clusters': { json: { clusters: [] } } });
    expect(await runCli(['cluster', 'list'], { api: fake })).toEqual({ code: 0, stdout: '', stderr: 'No cluster found.\n' });
  });

  it('sends the bearer token', async () => {
    const fake = await serve({ 'GET /clusters': { json: { clusters: [] } } });
    await runCli(['cluster', 'list'], { api: fake, env: { FLOTILLA_TOKEN: 'flt_from_env' } });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer flt_from_env');
  });
});

describe('flotilla cluster join', () => {
  it("uploads the flattened kubeconfig under --name and prints vela's line", async () => {
    const fake = await serve({ 'POST /clusters': { status: 201, json: cliFixtureJson('api/join-beijing-1.json') } });
    const { code, stdout, stderr } = await runCli(['cluster', 'join', 'beijing-1.kubeconfig', '--name', 'beijing-1'], {
      api: fake,
      files: { 'beijing-1.kubeconfig': kubeconfig },
    });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'Successfully add cluster beijing-1, endpoint: https://47.95.22.71:6443.\n', stderr: '' });
    const request = fake.requests[0]!;
    expect(request.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request.body) as { name: string; kubeconfig: string };
    expect(body.name).toBe('beijing-1');
    expect(Object.keys(body)).toEqual(['kubeconfig', 'name']);
    expect(parse(body.kubeconfig)).toMatchObject({ 'current-context': 'beijing-1', users: [{ name: 'admin', user: { 'client-key-data': 'S0VZ' } }] });
  });

  it('inlines the files a kubeconfig refers to, relative to the kubeconfig, before uploading', async () => {
    const dir = tempDir('flotilla-join-');
    writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
    writeFileSync(join(dir, 'token'), 'sa-token\n');
    const file = join(dir, 'edge.kubeconfig');
    writeFileSync(
      file,
      'clusters: [{name: edge, cluster: {server: "https://10.0.0.1", certificate-authority: ca.crt}}]\nusers: [{name: sa, user: {tokenFile: token}}]\ncontexts: [{name: edge, context: {cluster: edge, user: sa}}]\n',
    );
    const fake = await serve({ 'POST /clusters': { status: 201, json: cliFixtureJson('api/join-beijing-1.json') } });
    expect((await runCli(['cluster', 'join', file, '--labels', 'provider=AWS,tier=edge', '--create-namespace', 'apps', '--overwrite'], { api: fake })).code).toBe(0);
    const body = JSON.parse(fake.requests[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ labels: { provider: 'AWS', tier: 'edge' }, createNamespace: 'apps', overwrite: true });
    expect(parse(body.kubeconfig as string)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'edge', cluster: { server: 'https://10.0.0.1', 'certificate-authority-data': Buffer.from('CA PEM').toString('base64') } }],
      users: [{ name: 'sa', user: { token: 'sa-token' } }],
      contexts: [{ name: 'edge', context: { cluster: 'edge', user: 'sa' } }],
      'current-context': 'edge',
    });
  });

  it('says a rotation is one, and reports on stderr the applications that run again and what failed', async () => {
    const fake = await serve({ 'POST /clusters': { json: cliFixtureJson('api/join-us-west-1-rotated.json') } });
    const { code, stdout, stderr } = await runCli(['cluster', 'join', 'k', '-n', 'us-west-1', '--overwrite'], { api: fake, files: { k: kubeconfig } });
    expect(code).toBe(0);
    expect(stdout).toBe('Successfully update credentials for cluster us-west-1, endpoint: https://47.88.31.118:6443.\n');
    expectGolden('cluster-join-rotated.stderr.txt', stderr);
  });

  it('exits 1 with the API refusal and the CLI hint when the name is taken', async () => {
    const fake = await serve({
      'POST /clusters': { status: 409, json: { error: { code: 'already_exists', message: 'cluster beijing-1 already exists; join with "overwrite": true to replace its credentials', details: [] } } },
    });
    const { code, stdout, stderr } = await runCli(['cluster', 'join', 'k'], { api: fake, files: { k: kubeconfig } });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      'Error: cluster beijing-1 already exists; join with "overwrite": true to replace its credentials\n(join again with --overwrite to replace its credentials)\n',
    );
  });

  it('exits 1 naming the file when the kubeconfig cannot be flattened, without calling the API', async () => {
    const fake = await serve({});
    const { code, stderr } = await runCli(['cluster', 'join', 'two.kubeconfig'], {
      api: fake,
      files: { 'two.kubeconfig': 'contexts: [{name: a, context: {cluster: a, user: a}}, {name: b, context: {cluster: b, user: b}}]\n' },
    });
    expect(code).toBe(1);
    expect(stderr).toBe('Error: two.kubeconfig: the kubeconfig has several contexts ("a", "b") and no current-context; choose one with --context\n');
    expect(fake.requests).toEqual([]);
  });

  it('exits 2 on malformed --labels, without calling the API', async () => {
    const fake = await serve({});
    const { code, stderr } = await runCli(['cluster', 'join', 'k', '--labels', 'provider'], { api: fake, files: { k: kubeconfig } });
    expect(code).toBe(2);
    expect(stderr).toContain(`error: option '--labels <labels>' argument 'provider' is invalid. label "provider" must be key=value`);
    expect(fake.requests).toEqual([]);
  });
});

describe('flotilla cluster labels', () => {
  it("add: prints the article's lines and sends the labels", async () => {
    const fake = await serve({ 'POST /clusters/us-west-1/labels': { json: cliFixtureJson('api/labels-us-west-1.json') } });
    const { code, stdout, stderr } = await runCli(['cluster', 'labels', 'add', 'us-west-1', 'provider=AWS'], { api: fake });
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'Successfully update labels for cluster us-west-1 (type: X509Certificate).\nprovider=AWS\n',
      stderr: '',
    });
    expect(JSON.parse(fake.requests[0]!.body)).toEqual({ labels: { provider: 'AWS' } });
  });

  it('add: colours key and value on a terminal', async () => {
    const fake = await serve({ 'POST /clusters/us-west-1/labels': { json: cliFixtureJson('api/labels-us-west-1.json') } });
    const { stdout } = await runCli(['cluster', 'labels', 'add', 'us-west-1', 'provider=AWS'], { api: fake, tty: { columns: 80 } });
    expect(stdout).toContain('\u001b[36mprovider\u001b[39m=\u001b[32mAWS\u001b[39m\n');
  });

  it.each(['del', 'delete', 'remove'])('%s: sends the keys and says when no label is left; reruns go to stderr', async (verb) => {
    const fake = await serve({ 'DELETE /clusters/us-west-1/labels': { json: cliFixtureJson('api/labels-none.json') } });
    const { code, stdout, stderr } = await runCli(['cluster', 'labels', verb, 'us-west-1', 'provider,tier'], { api: fake });
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: 'Successfully update labels for cluster us-west-1 (type: X509Certificate).\nNo valid label exists.\n',
    });
    expect(stderr).toBe('Application example-app in namespace default runs example-app-v3 again: its cluster label selectors may now select differently.\n');
    expect(fake.requests[0]!.query).toEqual({ keys: 'provider,tier' });
  });

  it('exits 1 with the API message for a missing key', async () => {
    const fake = await serve({
      'DELETE /clusters/us-west-1/labels': {
        status: 400,
        json: { error: { code: 'validation_failed', message: 'query.keys[0]: no such label: provider', details: [{ path: 'query.keys[0]', message: 'no such label: provider' }] } },
      },
    });
    expect(await runCli(['cluster', 'labels', 'del', 'us-west-1', 'provider'], { api: fake })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: query.keys[0]: no such label: provider\n',
    });
  });
});

describe('flotilla cluster namespaces', () => {
  const view = (creatableNamespaces?: string[]) => ({
    ...(JSON.parse(JSON.stringify(cliFixtureJson('api/labels-us-west-1.json'))) as { cluster: Record<string, unknown> }).cluster,
    ...(creatableNamespaces ? { creatableNamespaces } : {}),
  });

  it('sets the list, lifts it with --any, allows none with --none', async () => {
    const fake = await serve({ 'POST /clusters/us-west-1/namespaces': { json: view(['team-a', 'team-b']) } });
    const set = await runCli(['cluster', 'namespaces', 'us-west-1', 'team-a,team-b'], { api: fake });
    expect(set).toEqual({ code: 0, stdout: 'Flotilla may create only these namespaces in cluster us-west-1: team-a, team-b.\n', stderr: '' });
    await runCli(['cluster', 'namespaces', 'us-west-1', '--any'], { api: fake });
    await runCli(['cluster', 'namespaces', 'us-west-1', '--none'], { api: fake });
    expect(fake.requests.map((request) => JSON.parse(request.body) as unknown)).toEqual([
      { creatableNamespaces: ['team-a', 'team-b'] },
      { creatableNamespaces: null },
      { creatableNamespaces: [] },
    ]);
  });

  it('shows the setting without arguments', async () => {
    const fake = await serve({ 'GET /clusters/us-west-1': { json: view() } });
    expect(await runCli(['cluster', 'namespaces', 'us-west-1'], { api: fake })).toEqual({ code: 0, stdout: 'Flotilla may create any namespace in cluster us-west-1 (no limit).\n', stderr: '' });
  });

  it('exits 1 with the API refusal for a deployer, and 2 on a malformed list or two choices, without calling the API', async () => {
    const fake = await serve({
      'POST /clusters/us-west-1/namespaces': { status: 403, json: { error: { code: 'forbidden', message: 'role deployer may not change clusters', details: [] } } },
    });
    expect(await runCli(['cluster', 'namespaces', 'us-west-1', 'team-a'], { api: fake })).toEqual({ code: 1, stdout: '', stderr: 'Error: role deployer may not change clusters\n' });
    expect((await runCli(['cluster', 'namespaces', 'us-west-1', 'team-a,,b'], { api: fake })).code).toBe(2);
    expect((await runCli(['cluster', 'namespaces', 'us-west-1', 'team-a', '--any'], { api: fake })).code).toBe(2);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('flotilla cluster detach, rename, probe', () => {
  it("detach: vela's line; forced, the objects left behind on stderr", async () => {
    const fake = await serve({
      'DELETE /clusters/beijing-2': {
        json: {
          cluster: 'beijing-2',
          orphaned: [
            {
              namespace: 'default',
              application: 'example-app',
              revision: 3,
              resources: [
                { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'hello-world-server' },
                { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'hello-world-server' },
              ],
            },
          ],
        },
      },
    });
    const { code, stdout, stderr } = await runCli(['cluster', 'detach', 'beijing-2', '--force'], { api: fake });
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'Detach cluster beijing-2 successfully.\n' });
    expect(stderr).toBe(
      'Left in cluster beijing-2 (no longer managed): application example-app in namespace default, revision 3: Deployment default/hello-world-server, Service default/hello-world-server\n',
    );
    expect(fake.requests[0]!.query).toEqual({ force: 'true' });
  });

  it('detach: exits 1 with the applications in the way and what to do', async () => {
    const message = 'cluster beijing-2 is in use by default/example-app';
    const fake = await serve({ 'DELETE /clusters/beijing-2': { status: 409, json: { error: { code: 'cluster_in_use', message, details: [] } } } });
    const { code, stderr } = await runCli(['cluster', 'detach', 'beijing-2'], { api: fake });
    expect(code).toBe(1);
    expect(stderr).toBe(`Error: ${message}\n(delete those applications or move them off the cluster first, or detach with --force to leave their objects behind)\n`);
    expect(fake.requests[0]!.query).toEqual({});
  });

  it("rename: vela's line", async () => {
    const renamed = { ...(cliFixtureJson('api/clusters-labelled.json') as { clusters: Record<string, unknown>[] }).clusters[2], name: 'aws-us-west-1' };
    const fake = await serve({ 'POST /clusters/us-west-1/rename': { json: renamed } });
    expect(await runCli(['cluster', 'rename', 'us-west-1', 'aws-us-west-1'], { api: fake })).toEqual({
      code: 0,
      stdout: 'Rename cluster us-west-1 to aws-us-west-1 successfully.\n',
      stderr: '',
    });
    expect(JSON.parse(fake.requests[0]!.body)).toEqual({ newName: 'aws-us-west-1' });
  });

  it('probe: the success line and the version; a refusal exits 1 with the reason', async () => {
    const [joined, , , edge] = (cliFixtureJson('api/clusters-mixed.json') as { clusters: Record<string, unknown>[] }).clusters;
    const fake = await serve({ 'POST /clusters/beijing-1/probe': { json: joined }, 'POST /clusters/edge-shanghai-7/probe': { json: edge } });
    expect(await runCli(['cluster', 'probe', 'beijing-1'], { api: fake })).toEqual({
      code: 0,
      stdout: 'Connect to cluster beijing-1 successfully.\nKubernetes v1.34.4\n',
      stderr: '',
    });
    expect(await runCli(['cluster', 'probe', 'edge-shanghai-7'], { api: fake })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: failed to connect to cluster edge-shanghai-7: cannot reach the API server at https://10.20.30.40:443: connect ETIMEDOUT\n',
    });
  });

  it('probe: a 202 (the applier has not reported yet) is not taken for success', async () => {
    const [joined] = (cliFixtureJson('api/clusters-mixed.json') as { clusters: Record<string, unknown>[] }).clusters;
    const fake = await serve({ 'POST /clusters/beijing-1/probe': { status: 202, json: joined } });
    expect(await runCli(['cluster', 'probe', 'beijing-1'], { api: fake })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: the probe of cluster beijing-1 has not finished yet; `flotilla cluster list` shows its outcome once it has\n',
    });
  });
});
