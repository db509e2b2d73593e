import { isAbsolute, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { errorMessage } from '../lib/core/errors/error-message.ts';

export interface FlattenOptions {
  /** `--context`; otherwise current-context, otherwise the only context. */
  context?: string | undefined;
  /** Relative file references are relative to the kubeconfig's own directory, as kubectl reads them. */
  baseDir: string;
  readFile: (path: string) => Uint8Array;
}

export interface FlatKubeconfig {
  /** A kubeconfig with one context, its cluster and its user, every file reference inlined. */
  text: string;
  contextName: string;
  /** The kubeconfig's name for the cluster: the cluster name `cluster join` uses without `--name`. */
  clusterName: string;
}

/** A kubeconfig the CLI cannot turn into a self-contained one; the message says which entry and why. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

type Fields = Record<string, unknown>;
interface Named {
  name: string;
  fields: Fields;
}

/** File reference -> the field that holds the same content inline, and how the content is written there. */
const clusterFiles: Record<string, { inline: string; as: 'base64' }> = {
  'certificate-authority': { inline: 'certificate-authority-data', as: 'base64' },
};
const userFiles: Record<string, { inline: string; as: 'base64' | 'text' }> = {
  'client-certificate': { inline: 'client-certificate-data', as: 'base64' },
  'client-key': { inline: 'client-key-data', as: 'base64' },
  tokenFile: { inline: 'token', as: 'text' },
  'token-file': { inline: 'token', as: 'text' },
};

/**
 * What `kubectl config view --flatten --minify` does, for one context: keeps only that context, its cluster and its
 * user, and inlines the certificate, key and token files they point to, so the kubeconfig can be uploaded. Anything
 * else (exec plugins, auth providers) is kept as it is: the API refuses those and says why.
 */
export function flattenKubeconfig(text: string, options: FlattenOptions): FlatKubeconfig {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false });
  } catch (err) {
    // First line only: a parser may quote the source, and this source holds credentials.
    throw new KubeconfigError(`not valid YAML: ${(errorMessage(err)).split('\n')[0]}`);
  }
  if (!isFields(doc)) throw new KubeconfigError('not a kubeconfig: expected a mapping with clusters, users and contexts');
  const contexts = namedList(doc, 'contexts', 'context');
  const context = chooseContext(contexts, typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined, options.context);
  const clusterName = stringField(context.fields, 'cluster', `contexts "${context.name}"`);
  const userName = stringField(context.fields, 'user', `contexts "${context.name}"`);
  const cluster = namedList(doc, 'clusters', 'cluster').find((entry) => entry.name === clusterName);
  const user = namedList(doc, 'users', 'user').find((entry) => entry.name === userName);
  if (cluster === undefined) throw new KubeconfigError(`context "${context.name}" names cluster "${clusterName}", which is not in clusters`);
  if (user === undefined) throw new KubeconfigError(`context "${context.name}" names user "${userName}", which is not in users`);

  const flat = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster.name, cluster: inline(cluster.fields, clusterFiles, `cluster "${cluster.name}"`, options) }],
    users: [{ name: user.name, user: inline(user.fields, userFiles, `user "${user.name}"`, options) }],
    contexts: [{ name: context.name, context: context.fields }],
    'current-context': context.name,
  };
  return { text: stringify(flat, { lineWidth: 0 }), contextName: context.name, clusterName: cluster.name };
}

function inline(fields: Fields, files: Record<string, { inline: string; as: 'base64' | 'text' }>, owner: string, options: FlattenOptions): Fields {
  const result: Fields = { ...fields };
  for (const [reference, { inline: target, as }] of Object.entries(files)) {
    const path = fields[reference];
    if (path === undefined || path === null || path === '') continue;
    delete result[reference];
    // kubectl lets the inline field win when both are set; so does this.
    if (typeof fields[target] === 'string' && fields[target] !== '') continue;
    if (typeof path !== 'string') throw new KubeconfigError(`${owner}: ${reference} must be a file path`);
    const file = isAbsolute(path) ? path : resolve(options.baseDir, path);
    let bytes: Uint8Array;
    try {
      bytes = options.readFile(file);
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : errorMessage(err);
      throw new KubeconfigError(`${owner}: cannot read ${reference} ${file}: ${code}`);
    }
    result[target] = as === 'base64' ? Buffer.from(bytes).toString('base64') : Buffer.from(bytes).toString('utf8').trim();
  }
  return result;
}

function chooseContext(contexts: Named[], current: string | undefined, requested: string | undefined): Named {
  const listed = contexts.map((c) => `"${c.name}"`).join(', ') || 'none';
  if (requested !== undefined) {
    const found = contexts.find((c) => c.name === requested);
    if (found === undefined) throw new KubeconfigError(`there is no context "${requested}"; the kubeconfig has ${listed}`);
    return found;
  }
  if (current !== undefined && current !== '') {
    const found = contexts.find((c) => c.name === current);
    if (found === undefined) throw new KubeconfigError(`current-context "${current}" is not in contexts (${listed})`);
    return found;
  }
  const [only, ...others] = contexts;
  if (only === undefined) throw new KubeconfigError('the kubeconfig has no context');
  if (others.length > 0) throw new KubeconfigError(`the kubeconfig has several contexts (${listed}) and no current-context; choose one with --context`);
  return only;
}

function namedList(doc: Fields, key: string, inner: string): Named[] {
  const list = doc[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new KubeconfigError(`${key} must be a list`);
  return list.map((entry: unknown, index) => {
    if (!isFields(entry) || typeof entry.name !== 'string' || entry.name === '') throw new KubeconfigError(`${key}[${index}] must have a name`);
    const fields = entry[inner] ?? {};
    if (!isFields(fields)) throw new KubeconfigError(`${key}[${index}].${inner} must be a mapping`);
    return { name: entry.name, fields };
  });
}

function stringField(fields: Fields, key: string, owner: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '') throw new KubeconfigError(`${owner} has no ${key}`);
  return value;
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
