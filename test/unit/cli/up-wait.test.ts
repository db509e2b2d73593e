import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureText } from '../support/builders.ts';
import { cliFixtureJson, expectGolden, fakeApis, runCli, screenAfter, uncoloured, type FakeApi } from './cli-harness.ts';

const serve = fakeApis();

const files = { 'basic.yaml': fixtureText('seed/basic.yaml'), 'advanced.yaml': fixtureText('seed/advanced.yaml') };
const statusRoute = 'GET /namespaces/default/applications/example-app/status';
const frames = (name: string) => (cliFixtureJson(`api/${name}`) as unknown[]).map((json) => ({ json }));

async function serveBasic(): Promise<FakeApi> {
  return serve({
    'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v1.json') },
    [statusRoute]: frames('wait-basic-frames.json'),
  });
}

describe('flotilla up --wait, not on a terminal', () => {
  it('prints a plain line whenever a step or a cluster changes, then the status and the rocket', async () => {
    const fake = await serveBasic();
    const { code, stdout, stderr } = await runCli(['up', '-f', 'basic.yaml', '--wait'], { api: fake, files });
    expect(code).toBe(0);
    expectGolden('up-wait-basic.stderr.txt', stderr);
    expect(stderr).not.toContain('\u001b');
    expectGolden('up-wait-basic.stdout.txt', stdout);
    expect(stdout).toContain('    Healthy Ready:3/3\n');
    expect(stdout).toContain('\n✅ App has been deployed 🚀🚀🚀\n');
    // One status read per poll until the run finished, at the default interval of the fake clock.
    expect(fake.requests.filter((request) => request.method === 'GET')).toHaveLength(5);
  });

  it.each(['json', 'yaml'] as const)('-o %s prints only the final status as data; progress still goes to stderr', async (format) => {
    const fake = await serveBasic();
    const { code, stdout, stderr } = await runCli(['up', '-f', 'basic.yaml', '--wait', '-o', format], { api: fake, files });
    expect(code).toBe(0);
    expect(format === 'json' ? JSON.parse(stdout) : parse(stdout)).toEqual(cliFixtureJson('api/status-basic.json'));
    expect(stderr).toContain('beijing-1/default hello-world-server: Healthy Ready:3/3\n');
    expect(stderr).not.toContain('Applying an application');
  });

  it("ends with the failing step's message and exit 1, printing no status", async () => {
    const api = await serve({
      'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v3.json') },
      [statusRoute]: frames('wait-advanced-failing-frames.json'),
    });
    const { code, stdout, stderr } = await runCli(['up', '-f', 'advanced.yaml', '--wait'], { api, files });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expectGolden('up-wait-failing.stderr.txt', stderr);
    expect(stderr.split('\n').at(-2)).toBe(
      'Error: step deploy-aws timed out waiting for cluster us-west-1, namespace default to become healthy: Deployment default/hello-world-server: Ready:2/5',
    );
  });

  it('gives up after --timeout, saying what it was still waiting for', async () => {
    const [, running] = frames('wait-advanced-failing-frames.json');
    const api = await serve({ 'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v3.json') }, [statusRoute]: running! });
    const { code, stderr } = await runCli(['up', '-f', 'advanced.yaml', '--wait', '--timeout', '30s', '--poll-interval', '5s'], { api, files });
    expect(code).toBe(1);
    expect(stderr).toContain('Waiting for example-app-v3 (timeout 30s)\n');
    expect(stderr.split('\n').at(-2)).toBe(
      'Error: timed out after 30s waiting for example-app-v3: runningWorkflow; step deploy-aws (deploy): running: wait healthy: Deployment default/hello-world-server: Ready:2/5; us-west-1/default hello-world-server: Unhealthy Ready:2/5',
    );
    // Polls at 0, 5, ..., 30 seconds.
    expect(api.requests.filter((request) => request.method === 'GET')).toHaveLength(7);
  });

  it('stops when a newer revision replaced the one it waits for', async () => {
    const [, running] = frames('wait-advanced-failing-frames.json');
    const newer = structuredClone(running!.json as { workflow: { revision: string } });
    newer.workflow.revision = 'example-app-v4';
    const api = await serve({ 'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v3.json') }, [statusRoute]: { json: newer } });
    const { code, stderr } = await runCli(['up', '-f', 'advanced.yaml', '--wait'], { api, files });
    expect(code).toBe(1);
    expect(stderr.split('\n').at(-2)).toBe('Error: example-app-v3 was replaced by example-app-v4 before its workflow finished');
  });

  it("stops on an error answer, such as a gateway's 502", async () => {
    const [first, , third, , last] = frames('wait-basic-frames.json');
    const api = await serve({
      'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v1.json') },
      [statusRoute]: [first!, { status: 502, text: '<html>Bad Gateway</html>' }, third!, last!],
    });
    // An answer, not an outage (those are retried: wait-for.test.ts): the wait stops with it.
    const failed = await runCli(['up', '-f', 'basic.yaml', '--wait'], { api, files });
    expect(failed.code).toBe(1);
    expect(failed.stderr.split('\n').at(-2)).toBe('Error: GET /namespaces/default/applications/example-app/status answered HTTP 502');
  });
});

describe('flotilla up --wait on a terminal', () => {
  it('redraws one block in place: spinner and elapsed time, a mark per step and per cluster', async () => {
    const fake = await serveBasic();
    const { code, stdout, stderr } = await runCli(['up', '-f', 'basic.yaml', '--wait'], { api: fake, files, tty: { columns: 72 } });
    expect(code).toBe(0);
    expectGolden('up-wait-basic.tty.stderr.txt', stderr);
    // Each poll moves up over the previous block and clears it; the first block has nothing to move over.
    expect(stderr.match(/\u001b\[\d+A\r\u001b\[J/g)).toEqual(['\u001b[1A\r\u001b[J', '\u001b[2A\r\u001b[J', '\u001b[4A\r\u001b[J', '\u001b[4A\r\u001b[J']);
    expect(uncoloured(screenAfter(stderr))).toBe(
      [
        'Applying an application in vela K8s object format...',
        '"creating object" name="example-app" resource="core.oam.dev/v1beta1, Kind=Application"',
        'Waiting for example-app-v1 (timeout 5m0s)',
        '✔ example-app-v1: running  4s',
        '  ✔ step deploy-beijing-clusters (deploy): succeeded',
        '  ✔ beijing-1/default hello-world-server: Healthy Ready:3/3',
        '  ✔ beijing-2/default hello-world-server: Healthy Ready:3/3',
        '',
      ].join('\n'),
    );
    expect(stdout).toContain('\u001b[32mrunning\u001b[39m');
  });

  it('cuts lines to the terminal width so none wraps', async () => {
    const fake = await serveBasic();
    const { stderr } = await runCli(['up', '-f', 'basic.yaml', '--wait'], { api: fake, files, tty: { columns: 40 } });
    const drawn = stderr.replace(/\u001b\[[\d;]*[A-Za-z]/g, '').replaceAll('\r', '').split('\n').slice(3);
    expect(drawn.every((line) => [...line].length <= 39)).toBe(true);
    expect(drawn).toContain('  ✔ beijing-1/default hello-world-serv…');
  });
});
