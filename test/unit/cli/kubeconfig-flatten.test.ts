import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flattenKubeconfig, KubeconfigError } from '../../../cli/kubeconfig-flatten.ts';
import { parseKubeconfig } from '../../../lib/core/cluster/kubeconfig.ts';
import { thrown } from '../support/builders.ts';
import { tempDir } from './cli-harness.ts';

const noFiles = {
  baseDir: '/nowhere',
  readFile: (path: string): Uint8Array => {
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  },
};

const twoContexts = `apiVersion: v1
kind: Config
clusters:
  - name: bj1
    cluster: {server: https://10.0.0.1:6443, certificate-authority: pki/ca.crt}
  - name: usw1
    cluster: {server: https://10.0.0.2:6443, insecure-skip-tls-verify: true}
users:
  - name: bj1-admin
    user: {client-certificate: pki/admin.crt, client-key: /abs/admin.key}
  - name: usw1-sa
    user: {token: abc}
contexts:
  - name: beijing-1
    context: {cluster: bj1, user: bj1-admin, namespace: apps}
  - name: us-west-1
    context: {cluster: usw1, user: usw1-sa}
current-context: us-west-1
`;

/** A PEM block standing in for the file at `path`. */
function pemOf(path: string): string {
  const label = path.endsWith('.key') ? 'PRIVATE KEY' : 'CERTIFICATE';
  return `-----BEGIN ${label}-----\n${Buffer.from(path).toString('base64')}\n-----END ${label}-----\n`;
}

describe('flattenKubeconfig', () => {
  it('keeps only the current context, its cluster and its user', () => {
    const flat = flattenKubeconfig(twoContexts, noFiles);
    expect({ context: flat.contextName, cluster: flat.clusterName }).toEqual({ context: 'us-west-1', cluster: 'usw1' });
    expect(parse(flat.text)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'usw1', cluster: { server: 'https://10.0.0.2:6443', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'usw1-sa', user: { token: 'abc' } }],
      contexts: [{ name: 'us-west-1', context: { cluster: 'usw1', user: 'usw1-sa' } }],
      'current-context': 'us-west-1',
    });
  });

  it('inlines the files of --context, relative paths from the kubeconfig directory, absolute ones as they are', () => {
    const read: string[] = [];
    const flat = flattenKubeconfig(twoContexts, {
      context: 'beijing-1',
      baseDir: '/home/me/.kube',
      readFile: (path) => {
        read.push(path);
        return Buffer.from(pemOf(path));
      },
    });
    expect(read.sort()).toEqual(['/abs/admin.key', '/home/me/.kube/pki/admin.crt', '/home/me/.kube/pki/ca.crt']);
    const b64 = (path: string) => Buffer.from(pemOf(path)).toString('base64');
    expect(parse(flat.text)).toMatchObject({
      clusters: [{ name: 'bj1', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64('/home/me/.kube/pki/ca.crt') } }],
      users: [{ name: 'bj1-admin', user: { 'client-certificate-data': b64('/home/me/.kube/pki/admin.crt'), 'client-key-data': b64('/abs/admin.key') } }],
      contexts: [{ name: 'beijing-1', context: { cluster: 'bj1', user: 'bj1-admin', namespace: 'apps' } }],
    });
    // What comes out is what the API accepts: self-contained, the same connection.
    expect(parseKubeconfig(flat.text).connection).toMatchObject({ endpoint: 'https://10.0.0.1:6443' });
  });

  it('reads real files, binary ones too, and token files as text', () => {
    const dir = tempDir('flotilla-flatten-');
    mkdirSync(join(dir, 'pki'));
    const der = Uint8Array.from([0x30, 0x82, 0x01, 0xff, 0x00]);
    writeFileSync(join(dir, 'pki', 'ca.der'), der);
    writeFileSync(join(dir, 'token'), '  eyJhbGciOi  \n');
    const text = 'clusters: [{name: c, cluster: {server: "https://x", certificate-authority: pki/ca.der}}]\nusers: [{name: u, user: {token-file: token}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n';
    const flat = parse(flattenKubeconfig(text, { baseDir: dir, readFile: (path) => readFileSync(path) }).text) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
    expect(Buffer.from(flat.clusters[0]!.cluster['certificate-authority-data']!, 'base64')).toEqual(Buffer.from(der));
    expect(flat.users[0]!.user).toEqual({ token: 'eyJhbGciOi' });
  });

  it('lets inline data win over a file reference, as kubectl does, without reading the file', () => {
    const text = 'clusters: [{name: c, cluster: {server: "https://x", certificate-authority: ca.crt, certificate-authority-data: SU5MSU5F}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n';
    expect(parse(flattenKubeconfig(text, noFiles).text)).toMatchObject({ clusters: [{ cluster: { server: 'https://x', 'certificate-authority-data': 'SU5MSU5F' } }] });
  });

  it('keeps exec and auth-provider users for the API to refuse with its reasons', () => {
    const text = 'clusters: [{name: c, cluster: {server: "https://x"}}]\nusers: [{name: u, user: {exec: {command: aws}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n';
    expect(parse(flattenKubeconfig(text, noFiles).text)).toMatchObject({ users: [{ user: { exec: { command: 'aws' } } }] });
  });

  it.each([
    ['a: [', 'not valid YAML: '],
    ['- 1', 'not a kubeconfig: expected a mapping with clusters, users and contexts'],
    ['contexts: []', 'the kubeconfig has no context'],
    ['contexts: [{name: a, context: {cluster: a, user: a}}, {name: b, context: {cluster: b, user: b}}]', 'the kubeconfig has several contexts ("a", "b") and no current-context; choose one with --context'],
    ['current-context: z\ncontexts: [{name: a, context: {cluster: a, user: a}}]', 'current-context "z" is not in contexts ("a")'],
    ['contexts: [{name: a, context: {cluster: a, user: u}}]\nusers: [{name: u}]', 'context "a" names cluster "a", which is not in clusters'],
    ['contexts: [{name: a, context: {cluster: a, user: u}}]\nclusters: [{name: a, cluster: {server: "https://x"}}]', 'context "a" names user "u", which is not in users'],
    ['contexts: [{name: a, context: {cluster: a}}]', 'contexts "a" has no user'],
    ['contexts: {a: 1}', 'contexts must be a list'],
    ['contexts: [{context: {}}]', 'contexts[0] must have a name'],
    [
      'contexts: [{name: a, context: {cluster: a, user: u}}]\nclusters: [{name: a, cluster: {server: "https://x", certificate-authority: ca.crt}}]\nusers: [{name: u, user: {token: t}}]',
      'cluster "a": cannot read certificate-authority /nowhere/ca.crt: ENOENT',
    ],
  ])('explains what is wrong with %j', (text, message) => {
    const error = thrown(() => flattenKubeconfig(text, noFiles));
    expect(error).toBeInstanceOf(KubeconfigError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it('names the context --context asks for when it is not there', () => {
    expect((thrown(() => flattenKubeconfig(twoContexts, { ...noFiles, context: 'eu-1' })) as Error).message).toBe('there is no context "eu-1"; the kubeconfig has "beijing-1", "us-west-1"');
  });
});
