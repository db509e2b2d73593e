import { Agent, request } from 'undici';
import type { ClusterConnection } from '../kubeconfig/cluster-connection.ts';
import { httpClusterError, toClusterError } from './cluster-error.ts';
import { fieldManager } from './field-manager.ts';

/** The two calls the cluster registry makes: is the cluster there and who is it, and create a namespace. */
export interface ClusterReach {
  serverVersion(): Promise<string>;
  ensureNamespace(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The registry's way into a member cluster: two plain HTTPS calls with the connection's own TLS material and
 * credential. It keeps the API function free of @kubernetes/client-node, which is only worth its size in the applier.
 */
export function reachCluster(connection: ClusterConnection, options: { timeoutMs?: number } = {}): ClusterReach {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { credential } = connection;
  const decode = (data: string | undefined) => (data === undefined ? undefined : Buffer.from(data, 'base64'));
  const dispatcher = new Agent({
    connect: {
      ca: decode(connection.caData),
      ...(credential.type === 'X509Certificate' ? { cert: decode(credential.clientCertificateData), key: decode(credential.clientKeyData) } : {}),
      rejectUnauthorized: !connection.insecureSkipTlsVerify,
      ...(connection.tlsServerName ? { servername: connection.tlsServerName } : {}),
    },
  });
  const authorization: Record<string, string> = credential.type === 'ServiceAccountToken' ? { authorization: `Bearer ${credential.token}` } : {};
  const base = connection.endpoint.replace(/\/+$/, '');

  async function call(what: string, method: 'GET' | 'PATCH', path: string, body?: object): Promise<unknown> {
    try {
      const response = await request(`${base}${path}`, {
        method,
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/json', ...authorization, ...(body ? { 'content-type': 'application/apply-patch+yaml' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.body.text();
      if (response.statusCode >= 400) throw httpClusterError(response.statusCode, text, what);
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw toClusterError(err, what);
    }
  }

  return {
    serverVersion: async () => {
      const version = (await call('read server version', 'GET', '/version')) as { gitVersion?: unknown };
      if (typeof version.gitVersion !== 'string') throw toClusterError(new Error('the answer to /version has no gitVersion'), 'read server version');
      return version.gitVersion;
    },
    ensureNamespace: async (name) => {
      const query = `fieldManager=${fieldManager}&force=true`;
      await call(`create namespace ${name}`, 'PATCH', `/api/v1/namespaces/${encodeURIComponent(name)}?${query}`, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
    },
    close: () => dispatcher.close(),
  };
}
