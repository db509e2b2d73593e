import { Agent, request } from 'node:https';
import type { ClusterConnection } from '../../core/cluster/cluster-connection.ts';
import { httpClusterError, toClusterError } from './cluster-error.ts';
import { fieldManager } from './field-manager.ts';
import { type ClusterReach } from '../../engine/ports/cluster-reach.ts';
import type { EndpointPolicy } from '../../core/cluster/endpoint-policy.ts';
import { ClusterError } from '../../engine/ports/cluster-error.ts';
import { checkedLookup, checkLiteralEndpoint } from './endpoint-lookup.ts';

/**
 * The registry's way into a member cluster: two plain HTTPS calls with the connection's own TLS material and
 * credential, on node:https. It keeps the API function free of @kubernetes/client-node and undici, which are only worth
 * their size in the applier.
 */
export function reachCluster(connection: ClusterConnection, options: { timeoutMs?: number; policy: EndpointPolicy }): ClusterReach {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { policy } = options;
  const { credential } = connection;
  const decode = (data: string | undefined) => (data === undefined ? undefined : Buffer.from(data, 'base64'));
  const agent = new Agent({
    keepAlive: true,
    ca: decode(connection.caData),
    ...(credential.type === 'X509Certificate' ? { cert: decode(credential.clientCertificateData), key: decode(credential.clientKeyData) } : {}),
    rejectUnauthorized: !connection.insecureSkipTlsVerify,
    ...(connection.tlsServerName ? { servername: connection.tlsServerName } : {}),
    // Connects to the address the policy checked; TLS still verifies (and sends SNI for) the endpoint's host name.
    lookup: checkedLookup(policy),
  });
  const authorization: Record<string, string> = credential.type === 'ServiceAccountToken' ? { authorization: `Bearer ${credential.token}` } : {};
  const base = connection.endpoint.replace(/\/+$/, '');

  function call(what: string, method: 'GET' | 'PATCH', path: string, body?: object): Promise<unknown> {
    const payload = body ? JSON.stringify(body) : undefined;
    return new Promise<unknown>((resolve, reject) => {
      try {
        checkLiteralEndpoint(policy, base);
      } catch (err) {
        return reject(err);
      }
      const req = request(
        `${base}${path}`,
        {
          method,
          agent,
          signal: AbortSignal.timeout(timeoutMs),
          headers: { accept: 'application/json', ...authorization, ...(payload ? { 'content-type': 'application/apply-patch+yaml' } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (err) => reject(toClusterError(err, what)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 400) return reject(httpClusterError(status, text, what));
            // A redirect could lead anywhere the policy would refuse, so it is an answer, never followed.
            if (status >= 300) {
              return reject(new ClusterError(`${what}: a redirect, which Flotilla does not follow`, { retryable: false, status }));
            }
            try {
              resolve(JSON.parse(text) as unknown);
            } catch (err) {
              reject(toClusterError(err, what));
            }
          });
        },
      );
      req.on('error', (err) => reject(toClusterError(err, what)));
      req.end(payload);
    });
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
    close: async () => agent.destroy(),
  };
}
