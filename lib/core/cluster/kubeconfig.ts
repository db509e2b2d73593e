import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.ts';
import { parseWith } from '../errors/zod-issues.ts';
import type { ClusterConnection, ClusterCredential } from './cluster-connection.ts';
import { errorMessage } from '../errors/error-message.ts';

/** What a kubeconfig yields for `cluster join`: the chosen context's connection and the names it came with. */
export interface KubeconfigSelection {
  contextName: string;
  /** The kubeconfig's own name for the cluster: `cluster join`'s default cluster name. */
  clusterName: string;
  connection: ClusterConnection;
  /** Where `server` is in the kubeconfig, e.g. `clusters[0].cluster.server`, for refusals found after parsing. */
  serverPath: string;
}

export interface KubeconfigOptions {
  /** Which context to use (`--context`); otherwise current-context, otherwise the only one. */
  context?: string;
}

const Fields = z.record(z.string(), z.unknown()).nullish();

const KubeconfigDocument = z.object({
  clusters: z.array(z.object({ name: z.string().min(1), cluster: Fields })).nullish(),
  users: z.array(z.object({ name: z.string().min(1), user: Fields })).nullish(),
  contexts: z
    .array(z.object({ name: z.string().min(1), context: z.object({ cluster: z.string().min(1), user: z.string().min(1) }) }))
    .nullish(),
  'current-context': z.string().nullish(),
});

const inlineCredentialsHint =
  'use a ServiceAccount token (token) or an inline client certificate (client-certificate-data and client-key-data)';
const flattenHint = 'inline the file (kubectl config view --flatten --minify writes such a kubeconfig)';

/** Fields Flotilla refuses, with the reason: it runs in Lambda, with no files and no plugin binaries. */
const refusedClusterFields: Record<string, string> = {
  'certificate-authority': `file references are not supported; ${flattenHint} as certificate-authority-data`,
  'proxy-url': 'proxies are not supported; Flotilla connects to the endpoint directly',
};
const refusedUserFields: Record<string, string> = {
  exec: `exec credential plugins are not supported; ${inlineCredentialsHint}`,
  'auth-provider': `auth-provider plugins are not supported; ${inlineCredentialsHint}`,
  'client-certificate': `file references are not supported; ${flattenHint} as client-certificate-data`,
  'client-key': `file references are not supported; ${flattenHint} as client-key-data`,
  tokenFile: `file references are not supported; ${flattenHint} as token`,
  'token-file': `file references are not supported; ${flattenHint} as token`,
  username: `basic authentication is not supported; ${inlineCredentialsHint}`,
  password: `basic authentication is not supported; ${inlineCredentialsHint}`,
  as: 'impersonation is not supported; use the credentials of the identity itself',
  'as-groups': 'impersonation is not supported; use the credentials of the identity itself',
  'as-uid': 'impersonation is not supported; use the credentials of the identity itself',
  'as-user-extra': 'impersonation is not supported; use the credentials of the identity itself',
};

/**
 * Parses a kubeconfig and derives the connection of one context. Only self-contained kubeconfigs are accepted: every
 * refused field (exec, auth-provider, file references, basic auth) is reported by its path, e.g. `users[0].user.exec`.
 */
export function parseKubeconfig(text: string, options: KubeconfigOptions = {}): KubeconfigSelection {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false });
  } catch (err) {
    // First line only: parsers may echo the offending source, and a kubeconfig's source holds credentials.
    const reason = (errorMessage(err)).split('\n')[0];
    throw ValidationError.single('', `the kubeconfig is not valid YAML: ${reason}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw ValidationError.single('', 'the kubeconfig must be a YAML mapping with clusters, users and contexts');
  }
  const doc = parseWith(KubeconfigDocument, raw, '');
  const contexts = doc.contexts ?? [];
  const contextIndex = selectContext(contexts.map((c) => c.name), doc['current-context'] ?? undefined, options.context);
  const context = contexts[contextIndex]!;

  const issues: ValidationIssue[] = [];
  const clusterIndex = (doc.clusters ?? []).findIndex((c) => c.name === context.context.cluster);
  const userIndex = (doc.users ?? []).findIndex((u) => u.name === context.context.user);
  if (clusterIndex < 0) {
    issues.push({ path: `contexts[${contextIndex}].context.cluster`, message: `no cluster named "${context.context.cluster}" in clusters` });
  }
  if (userIndex < 0) {
    issues.push({ path: `contexts[${contextIndex}].context.user`, message: `no user named "${context.context.user}" in users` });
  }
  if (issues.length > 0) throw new ValidationError(issues);

  const clusterPath = `clusters[${clusterIndex}].cluster`;
  const userPath = `users[${userIndex}].user`;
  const cluster = doc.clusters?.[clusterIndex]?.cluster ?? {};
  const user = doc.users?.[userIndex]?.user ?? {};
  const server = readServer(cluster, clusterPath, issues);
  const trust = readTrust(cluster, clusterPath, issues);
  const credential = readCredential(user, userPath, issues);
  if (issues.length > 0 || server === undefined || credential === undefined) throw new ValidationError(issues);
  return {
    contextName: context.name,
    clusterName: context.context.cluster,
    connection: { endpoint: server, ...trust, credential },
    serverPath: `${clusterPath}.server`,
  };
}

function selectContext(names: string[], current: string | undefined, requested: string | undefined): number {
  const listed = names.map((n) => `"${n}"`).join(', ');
  if (requested !== undefined) {
    const index = names.indexOf(requested);
    if (index < 0) {
      throw ValidationError.single('context', `no context named "${requested}" in the kubeconfig; it has ${listed || 'none'}`);
    }
    return index;
  }
  if (current) {
    const index = names.indexOf(current);
    if (index < 0) throw ValidationError.single('current-context', `names "${current}", which is not in contexts (${listed || 'none'})`);
    return index;
  }
  if (names.length === 1) return 0;
  if (names.length === 0) throw ValidationError.single('contexts', 'the kubeconfig has no context');
  throw ValidationError.single('context', `the kubeconfig has several contexts (${listed}) and no current-context; choose one with --context`);
}

function refuse(entry: Record<string, unknown>, path: string, refused: Record<string, string>, issues: ValidationIssue[]): void {
  for (const [field, message] of Object.entries(refused)) {
    if (entry[field] !== undefined && entry[field] !== null && entry[field] !== '') issues.push({ path: `${path}.${field}`, message });
  }
}

function readServer(cluster: Record<string, unknown>, path: string, issues: ValidationIssue[]): string | undefined {
  refuse(cluster, path, refusedClusterFields, issues);
  const server = cluster.server;
  if (typeof server !== 'string' || server === '') {
    issues.push({ path: `${path}.server`, message: 'the API server URL is missing' });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    issues.push({ path: `${path}.server`, message: `"${server}" is not a URL` });
    return undefined;
  }
  if (url.protocol !== 'https:') {
    issues.push({ path: `${path}.server`, message: `the API server must be reached over https, not ${url.protocol.replace(':', '')}` });
    return undefined;
  }
  // Userinfo would become Basic auth and be shown with the endpoint, which is not sealed; a query or fragment has no
  // meaning to an API server, and Flotilla appends its own paths and queries.
  if (url.username !== '' || url.password !== '') {
    issues.push({ path: `${path}.server`, message: `must not hold a user name or password (user@host); ${inlineCredentialsHint}` });
    return undefined;
  }
  if (url.search !== '' || server.includes('?')) {
    issues.push({ path: `${path}.server`, message: 'must not have a query (?...); give the API server URL alone' });
    return undefined;
  }
  if (url.hash !== '' || server.includes('#')) {
    issues.push({ path: `${path}.server`, message: 'must not have a fragment (#...); give the API server URL alone' });
    return undefined;
  }
  return server;
}

function readTrust(cluster: Record<string, unknown>, path: string, issues: ValidationIssue[]) {
  const caData = optionalString(cluster, 'certificate-authority-data', path, issues);
  const insecure = cluster['insecure-skip-tls-verify'];
  if (insecure !== undefined && insecure !== null && typeof insecure !== 'boolean') {
    issues.push({ path: `${path}.insecure-skip-tls-verify`, message: 'must be true or false' });
  }
  const insecureSkipTlsVerify = insecure === true;
  if (caData !== undefined) {
    checkPem(caData, 'CERTIFICATE', `${path}.certificate-authority-data`, issues);
    if (insecureSkipTlsVerify) {
      issues.push({
        path: `${path}.insecure-skip-tls-verify`,
        message: 'cannot be combined with certificate-authority-data: either verify against the CA or skip verification',
      });
    }
  }
  const tlsServerName = optionalString(cluster, 'tls-server-name', path, issues);
  return {
    ...(caData === undefined ? {} : { caData }),
    insecureSkipTlsVerify,
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
  };
}

function readCredential(user: Record<string, unknown>, path: string, issues: ValidationIssue[]): ClusterCredential | undefined {
  const before = issues.length;
  refuse(user, path, refusedUserFields, issues);
  const token = optionalString(user, 'token', path, issues);
  const certificate = optionalString(user, 'client-certificate-data', path, issues);
  const key = optionalString(user, 'client-key-data', path, issues);
  if (certificate !== undefined) checkPem(certificate, 'CERTIFICATE', `${path}.client-certificate-data`, issues);
  if (key !== undefined) checkPem(key, 'PRIVATE KEY', `${path}.client-key-data`, issues);
  if (certificate !== undefined && key === undefined) {
    issues.push({ path: `${path}.client-key-data`, message: 'client-certificate-data needs its client-key-data' });
  }
  if (key !== undefined && certificate === undefined) {
    issues.push({ path: `${path}.client-certificate-data`, message: 'client-key-data needs its client-certificate-data' });
  }
  if (token !== undefined && (certificate !== undefined || key !== undefined)) {
    issues.push({
      path: `${path}.token`,
      message: 'give either a token or a client certificate, not both, so the credential type is unambiguous',
    });
  }
  if (issues.length > before) return undefined;
  if (token !== undefined) return { type: 'ServiceAccountToken', token };
  if (certificate !== undefined && key !== undefined) {
    return { type: 'X509Certificate', clientCertificateData: certificate, clientKeyData: key };
  }
  issues.push({ path, message: `the user has no credentials; ${inlineCredentialsHint}` });
  return undefined;
}

function optionalString(entry: Record<string, unknown>, field: string, path: string, issues: ValidationIssue[]): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ path: `${path}.${field}`, message: 'must be a non-empty string' });
    return undefined;
  }
  return value;
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/** `*-data` fields hold base64 of PEM; a raw PEM or a path pasted there is a common mistake worth naming. */
function checkPem(value: string, label: 'CERTIFICATE' | 'PRIVATE KEY', path: string, issues: ValidationIssue[]): void {
  const compact = value.replace(/\s+/g, '');
  if (!base64Pattern.test(compact) || compact.length % 4 !== 0) {
    issues.push({ path, message: `must be base64 of a PEM ${label.toLowerCase()} (it is not base64)` });
    return;
  }
  const decoded = Buffer.from(compact, 'base64').toString('latin1');
  const pem = label === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (!pem.test(decoded)) issues.push({ path, message: `must be base64 of a PEM ${label.toLowerCase()} (no PEM block found)` });
}
