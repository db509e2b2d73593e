import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import picocolors from 'picocolors';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.ts';
import type { Terminal } from '../../../cli/output/terminal.ts';
import { fixtureText } from '../support/builders.ts';

const files: Record<string, string> = {
  'basic.yaml': fixtureText('seed/basic.yaml'),
  'intermediate.yaml': fixtureText('seed/intermediate.yaml'),
  'advanced.yaml': fixtureText('seed/advanced.yaml'),
  'clusters.yaml': fixtureText('clusters.yaml'),
  'secret.yaml': [
    'apiVersion: core.oam.dev/v1beta1',
    'kind: Application',
    'metadata: {name: vault}',
    'spec:',
    '  components:',
    '    - name: credentials',
    '      type: k8s-objects',
    '      properties:',
    '        objects:',
    '          - {apiVersion: v1, kind: Secret, metadata: {name: db}, data: {password: aHVudGVyMg==}, stringData: {token: s3cr3t}}',
    '  policies:',
    '    - {type: topology, name: here, properties: {clusters: [beijing-1]}}',
    '',
  ].join('\n'),
  'broken.yaml': 'apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: Shop}\nspec: {components: []}\n',
};

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const terminal: Terminal = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readText: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', path });
      return text;
    },
    colors: picocolors.createColors(false),
    errorColors: picocolors.createColors(false),
    liveColumns: undefined,
  };
  const code = await main(argv, terminal);
  return { code, stdout, stderr };
}

describe('flotilla dry-run', () => {
  it('prints the plan as JSON: {step, cluster, namespace, resources} in workflow order', async () => {
    const { code, stdout, stderr } = await run('dry-run', '-f', 'advanced.yaml', '--clusters', 'clusters.yaml', '-o', 'json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const entries = JSON.parse(stdout) as { step: string; cluster: string; namespace: string; resources: { kind: string; spec?: { replicas?: number } }[] }[];
    expect(entries.map((entry) => [entry.step, entry.cluster, entry.namespace, entry.resources.map((object) => object.kind), entry.resources[0]?.spec?.replicas])).toEqual([
      ['deploy-beijing', 'beijing-1', 'default', ['Deployment', 'Service', 'Ingress'], 3],
      ['deploy-beijing', 'beijing-2', 'default', ['Deployment', 'Service', 'Ingress'], 3],
      ['deploy-aws', 'us-west-1', 'default', ['Deployment', 'Service', 'Ingress'], 5],
    ]);
  });

  it('prints the same data as YAML', async () => {
    const json = await run('dry-run', '-f', 'intermediate.yaml', '--clusters', 'clusters.yaml', '-o', 'json');
    const yaml = await run('dry-run', '-f', 'intermediate.yaml', '--clusters', 'clusters.yaml', '-o', 'yaml');
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it('shows Secret values as <redacted> in the printed plan', async () => {
    const { code, stdout } = await run('dry-run', '-f', 'secret.yaml', '--clusters', 'clusters.yaml', '-o', 'json');
    expect(code).toBe(0);
    const [entry] = JSON.parse(stdout) as { resources: { kind: string; data?: unknown; stringData?: unknown }[] }[];
    expect(entry?.resources.find((object) => object.kind === 'Secret')).toMatchObject({ data: { password: '<redacted>' }, stringData: { token: '<redacted>' } });
    expect(stdout).not.toMatch(/aHVudGVyMg==|s3cr3t/);
  });

  it('prints a readable summary by default', async () => {
    const { code, stdout } = await run('dry-run', '-f', 'intermediate.yaml', '--clusters', 'clusters.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('Application example-app in namespace default, revision example-app-v1\nWorkflow mode: DAG\n');
    expect(stdout).toMatch(/Step deploy-beijing-clusters \(deploy, id [a-z1-9]{10}\)\n {2}beijing-1, namespace default\n {4}Deployment default\/hello-world-server {2}<- hello-world-server \(webservice\)\n/);
    expect(stdout).toContain('Ingress default/hello-world-server  <- hello-world-server gateway/ingress');
    expect(stdout).toContain('Step deploy-topology-aws');
  });

  it('assumes the named clusters without --clusters, saying so on stderr', async () => {
    const { code, stdout, stderr } = await run('dry-run', '-f', 'basic.yaml', '-o', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(2);
    expect(stderr).toBe('No --clusters given: assuming the clusters the topologies name (beijing-1, beijing-2), with no labels.\n');
  });

  it('exits 1 with the problems on stderr for an invalid Application', async () => {
    const { code, stdout, stderr } = await run('dry-run', '-f', 'broken.yaml');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Error: 2 problems:\n  metadata.name: application name must be a DNS-1123 label');
    expect(stderr).toContain('  spec.components: must list at least 1 item\n');
  });

  it('exits 1 naming the step when no cluster matches a selector', async () => {
    const { code, stderr } = await run('dry-run', '-f', 'intermediate.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain('pass --clusters with a labelled registry');
    expect(stderr).toContain('Error: step deploy-topology-aws: failed to find any cluster matches given labels (policy topology-aws)\n');
  });

  it('exits 1 when a file cannot be read', async () => {
    expect(await run('dry-run', '-f', 'missing.yaml')).toEqual({ code: 1, stdout: '', stderr: 'Error: cannot read missing.yaml: ENOENT\n' });
  });

  it.each([
    [['dry-run'], "error: required option '-f, --file <path>' not specified"],
    [['dry-run', '-f', 'basic.yaml', '-o', 'xml'], "error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are yaml, json."],
    [['deploy'], "error: unknown command 'deploy'"],
    [['dry-run', '-f', 'basic.yaml', '--colour'], "error: unknown option '--colour'"],
  ])('exits 2 on a usage error: %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('prints help on stdout and exits 0', async () => {
    const { code, stdout } = await run('dry-run', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: flotilla dry-run [options]');
    expect(stdout).toContain('--clusters <path>');
  });
});

describe('bin/flotilla.js', () => {
  const bin = fileURLToPath(new URL('../../../bin/flotilla.js', import.meta.url));
  const seed = fileURLToPath(new URL('../../fixtures/seed/basic.yaml', import.meta.url));
  const exec = promisify(execFile);

  it('runs the CLI on a Node that strips types', async () => {
    const { stdout } = await exec(process.execPath, [bin, 'dry-run', '-f', seed, '-o', 'json']);
    expect((JSON.parse(stdout) as unknown[]).length).toBe(2);
  });

  it('explains itself, exit 1, on a Node whose type stripping is off', async () => {
    const error = (await exec(process.execPath, ['--no-experimental-strip-types', bin, '--help']).catch((failure: unknown) => failure)) as { code?: number; stderr?: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('flotilla runs its TypeScript sources directly, which needs Node.js 22.18+ or 23.6+ with type stripping on');
  });
});
