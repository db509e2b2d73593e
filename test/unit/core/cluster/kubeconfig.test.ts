import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { toKubeConfig } from '../../../../lib/adapters/kubernetes/kube-config.ts';
import { parseKubeconfig } from '../../../../lib/core/cluster/kubeconfig.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');
// The parser checks that *-data fields are base64 of PEM blocks; it does not parse X.509, the cluster's TLS does.
const caData = b64('-----BEGIN CERTIFICATE-----\nMIIBdummyCA\n-----END CERTIFICATE-----\n');
const certData = b64('-----BEGIN CERTIFICATE-----\nMIIBdummyClient\n-----END CERTIFICATE-----\n');
const keyData = b64(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

interface Doc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context'?: string;
}

function kubeconfig(change: (doc: Doc) => void = () => {}): string {
  const doc: Doc = {
    clusters: [{ name: 'beijing-1', cluster: { server: 'https://127.0.0.1:32764', 'certificate-authority-data': caData } }],
    users: [{ name: 'beijing-1-admin', user: { 'client-certificate-data': certData, 'client-key-data': keyData } }],
    contexts: [{ name: 'beijing-1', context: { cluster: 'beijing-1', user: 'beijing-1-admin' } }],
    'current-context': 'beijing-1',
  };
  change(doc);
  return stringify(doc);
}

const user = (doc: Doc) => doc.users[0]!.user;
const cluster = (doc: Doc) => doc.clusters[0]!.cluster;

function issuesOf(text: string, context?: string) {
  try {
    parseKubeconfig(text, context === undefined ? {} : { context });
  } catch (err) {
    if (err instanceof ValidationError) return err.details;
    throw err;
  }
  throw new Error('expected the kubeconfig to be refused');
}

describe('parseKubeconfig', () => {
  it('derives an X509Certificate connection from inline client certificate data', () => {
    expect(parseKubeconfig(kubeconfig())).toEqual({
      contextName: 'beijing-1',
      clusterName: 'beijing-1',
      connection: {
        endpoint: 'https://127.0.0.1:32764',
        caData,
        insecureSkipTlsVerify: false,
        credential: { type: 'X509Certificate', clientCertificateData: certData, clientKeyData: keyData },
      },
      serverPath: 'clusters[0].cluster.server',
    });
  });

  it('derives a ServiceAccountToken connection, with insecure-skip-tls-verify and tls-server-name', () => {
    const text = kubeconfig((doc) => {
      doc.users[0]!.user = { token: 'eyJhbGciOiJSUzI1NiJ9.payload.signature' };
      doc.clusters[0]!.cluster = { server: 'https://10.0.0.1:6443', 'insecure-skip-tls-verify': true, 'tls-server-name': 'kubernetes' };
    });
    expect(parseKubeconfig(text).connection).toEqual({
      endpoint: 'https://10.0.0.1:6443',
      insecureSkipTlsVerify: true,
      tlsServerName: 'kubernetes',
      credential: { type: 'ServiceAccountToken', token: 'eyJhbGciOiJSUzI1NiJ9.payload.signature' },
    });
  });

  it('accepts JSON (a kubeconfig is YAML, and JSON is YAML)', () => {
    const json = JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://c:6443' } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    });
    expect(parseKubeconfig(json)).toMatchObject({ contextName: 'x', clusterName: 'c', connection: { credential: { type: 'ServiceAccountToken' } } });
  });

  describe('context selection', () => {
    const twoContexts = (doc: Doc) => {
      doc.clusters.push({ name: 'us-west-1', cluster: { server: 'https://127.0.0.1:32752' } });
      doc.users.push({ name: 'us-west-1-token', user: { token: 'abc' } });
      doc.contexts.push({ name: 'us-west-1', context: { cluster: 'us-west-1', user: 'us-west-1-token' } });
    };

    it('uses current-context when no context is asked for', () => {
      expect(parseKubeconfig(kubeconfig(twoContexts)).contextName).toBe('beijing-1');
    });

    it('uses the requested context over current-context', () => {
      const selected = parseKubeconfig(kubeconfig(twoContexts), { context: 'us-west-1' });
      expect(selected).toMatchObject({ contextName: 'us-west-1', connection: { endpoint: 'https://127.0.0.1:32752' } });
    });

    it('uses the only context when there is no current-context', () => {
      expect(parseKubeconfig(kubeconfig((doc) => delete doc['current-context'])).contextName).toBe('beijing-1');
    });

    it('refuses several contexts and no current-context, naming them', () => {
      const text = kubeconfig((doc) => {
        twoContexts(doc);
        delete doc['current-context'];
      });
      expect(issuesOf(text)).toEqual([
        {
          path: 'context',
          message: 'the kubeconfig has several contexts ("beijing-1", "us-west-1") and no current-context; choose one with --context',
        },
      ]);
    });

    it('only checks the entries the chosen context uses', () => {
      const text = kubeconfig((doc) => {
        twoContexts(doc);
        doc.users[1]!.user = { exec: { command: 'aws' } };
      });
      expect(parseKubeconfig(text).contextName).toBe('beijing-1');
      expect(issuesOf(text, 'us-west-1')).toEqual([
        { path: 'users[1].user.exec', message: expect.stringMatching(/^exec credential plugins are not supported; use a ServiceAccount token/) },
      ]);
    });
  });

  // Each bad kubeconfig is refused with an issue that names the offending field.
  const badCases: [string, string, string | undefined, RegExp][] = [
    ['exec plugin', kubeconfig((d) => (user(d).exec = { command: 'aws', args: ['eks', 'get-token'] })), 'users[0].user.exec', /exec credential plugins are not supported/],
    ['auth-provider', kubeconfig((d) => (user(d)['auth-provider'] = { name: 'gcp' })), 'users[0].user.auth-provider', /auth-provider plugins are not supported/],
    ['certificate-authority file', kubeconfig((d) => (cluster(d)['certificate-authority'] = '/etc/ca.crt')), 'clusters[0].cluster.certificate-authority', /file references are not supported.*certificate-authority-data/],
    ['client-certificate file', kubeconfig((d) => (user(d)['client-certificate'] = '/home/me/.kube/cert.pem')), 'users[0].user.client-certificate', /file references are not supported.*client-certificate-data/],
    ['client-key file', kubeconfig((d) => (user(d)['client-key'] = '/home/me/.kube/key.pem')), 'users[0].user.client-key', /file references are not supported.*client-key-data/],
    ['tokenFile', kubeconfig((d) => (d.users[0]!.user = { tokenFile: '/var/run/secrets/token' })), 'users[0].user.tokenFile', /file references are not supported.*as token/],
    ['token-file', kubeconfig((d) => (d.users[0]!.user = { 'token-file': '/var/run/secrets/token' })), 'users[0].user.token-file', /file references are not supported/],
    ['basic auth', kubeconfig((d) => (d.users[0]!.user = { username: 'admin', password: 'secret' })), 'users[0].user.username', /basic authentication is not supported/],
    ['impersonation', kubeconfig((d) => (user(d).as = 'system:admin')), 'users[0].user.as', /impersonation is not supported/],
    ['proxy-url', kubeconfig((d) => (cluster(d)['proxy-url'] = 'socks5://proxy:1080')), 'clusters[0].cluster.proxy-url', /proxies are not supported/],
    ['no server', kubeconfig((d) => delete cluster(d).server), 'clusters[0].cluster.server', /the API server URL is missing/],
    ['server not a URL', kubeconfig((d) => (cluster(d).server = 'not a url')), 'clusters[0].cluster.server', /"not a url" is not a URL/],
    ['userinfo in the server', kubeconfig((d) => (cluster(d).server = 'https://admin:secret@127.0.0.1:6443')), 'clusters[0].cluster.server', /must not hold a user name or password/],
    ['a user name alone in the server', kubeconfig((d) => (cluster(d).server = 'https://admin@127.0.0.1:6443')), 'clusters[0].cluster.server', /must not hold a user name or password/],
    ['a query in the server', kubeconfig((d) => (cluster(d).server = 'https://127.0.0.1:6443/?x=1')), 'clusters[0].cluster.server', /must not have a query/],
    ['an empty query in the server', kubeconfig((d) => (cluster(d).server = 'https://127.0.0.1:6443?')), 'clusters[0].cluster.server', /must not have a query/],
    ['a fragment in the server', kubeconfig((d) => (cluster(d).server = 'https://127.0.0.1:6443#top')), 'clusters[0].cluster.server', /must not have a fragment/],
    ['plain http server', kubeconfig((d) => (cluster(d).server = 'http://127.0.0.1:8080')), 'clusters[0].cluster.server', /must be reached over https, not http/],
    ['CA data not base64', kubeconfig((d) => (cluster(d)['certificate-authority-data'] = '/etc/kubernetes/pki/ca.crt')), 'clusters[0].cluster.certificate-authority-data', /it is not base64/],
    ['CA data is base64 but not PEM', kubeconfig((d) => (cluster(d)['certificate-authority-data'] = b64('hello'))), 'clusters[0].cluster.certificate-authority-data', /no PEM block found/],
    ['insecure with CA data', kubeconfig((d) => (cluster(d)['insecure-skip-tls-verify'] = true)), 'clusters[0].cluster.insecure-skip-tls-verify', /cannot be combined with certificate-authority-data/],
    ['insecure not a boolean', kubeconfig((d) => (cluster(d)['insecure-skip-tls-verify'] = 'yes please')), 'clusters[0].cluster.insecure-skip-tls-verify', /must be true or false/],
    ['certificate without key', kubeconfig((d) => delete user(d)['client-key-data']), 'users[0].user.client-key-data', /needs its client-key-data/],
    ['key without certificate', kubeconfig((d) => delete user(d)['client-certificate-data']), 'users[0].user.client-certificate-data', /needs its client-certificate-data/],
    ['key data holds a certificate', kubeconfig((d) => (user(d)['client-key-data'] = certData)), 'users[0].user.client-key-data', /PEM private key \(no PEM block found\)/],
    ['token and certificate', kubeconfig((d) => (user(d).token = 'abc')), 'users[0].user.token', /either a token or a client certificate, not both/],
    ['empty token', kubeconfig((d) => (d.users[0]!.user = { token: '' })), 'users[0].user.token', /must be a non-empty string/],
    ['no credentials', kubeconfig((d) => (d.users[0]!.user = {})), 'users[0].user', /the user has no credentials/],
    ['context names a missing cluster', kubeconfig((d) => (d.contexts[0]!.context.cluster = 'gone')), 'contexts[0].context.cluster', /no cluster named "gone"/],
    ['context names a missing user', kubeconfig((d) => (d.contexts[0]!.context.user = 'gone')), 'contexts[0].context.user', /no user named "gone"/],
    ['current-context names a missing context', kubeconfig((d) => (d['current-context'] = 'gone')), 'current-context', /names "gone", which is not in contexts \("beijing-1"\)/],
    ['no contexts at all', kubeconfig((d) => { d.contexts = []; delete d['current-context']; }), 'contexts', /the kubeconfig has no context/],
    ['clusters is not a list', kubeconfig((d) => ((d as unknown as Record<string, unknown>).clusters = 'beijing-1')), 'clusters', /.+/],
    ['context entry without a user', kubeconfig((d) => delete (d.contexts[0]!.context as Partial<Doc['contexts'][0]['context']>).user), 'contexts[0].context.user', /.+/],
    ['not YAML', 'clusters: [unclosed', '', /the kubeconfig is not valid YAML/],
    ['a YAML list, not a mapping', '- a\n- b\n', '', /must be a YAML mapping/],
  ];

  it.each(badCases)('refuses %s, naming %s', (_label, text, path, message) => {
    const issues = issuesOf(text);
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(issues.find((issue) => issue.path === path)?.message).toMatch(message);
  });

  it('refuses an unknown --context, listing the known ones', () => {
    expect(issuesOf(kubeconfig(), 'nope')).toEqual([{ path: 'context', message: 'no context named "nope" in the kubeconfig; it has "beijing-1"' }]);
  });

  it('reports every problem of the chosen entries at once', () => {
    const text = kubeconfig((d) => {
      user(d).exec = { command: 'x' };
      user(d)['client-key'] = '/k';
      cluster(d)['certificate-authority'] = '/ca';
    });
    expect(issuesOf(text).map((i) => i.path).sort()).toEqual([
      'clusters[0].cluster.certificate-authority',
      'users[0].user.client-key',
      'users[0].user.exec',
    ]);
  });

  it('never quotes a credential in its messages', () => {
    const text = kubeconfig((d) => (user(d).token = 'super-secret-token'));
    expect(JSON.stringify(issuesOf(text))).not.toContain('super-secret-token');
  });
});

describe('toKubeConfig', () => {
  it('builds a client-node KubeConfig with one context, named after the identity', () => {
    const { connection } = parseKubeconfig(kubeconfig());
    const kc = toKubeConfig(connection, 'cluster-1234');
    expect(kc.getCurrentCluster()).toMatchObject({ name: 'cluster-1234', server: 'https://127.0.0.1:32764', caData, skipTLSVerify: false });
    expect(kc.getCurrentUser()).toMatchObject({ name: 'cluster-1234-user', certData: certData, keyData: keyData });
  });
});
