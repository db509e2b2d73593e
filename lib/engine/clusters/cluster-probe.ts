import type { ClusterConnection } from '../../core/cluster/cluster-connection.ts';
import { ClusterError } from '../ports/cluster-error.ts';
import type { ClusterReach } from '../ports/cluster-reach.ts';
import { errorMessage } from '../../core/errors/error-message.ts';

export type ProbeResult = { reachable: true; kubernetesVersion: string } | { reachable: false; reason: string };

/**
 * GET /version with the cluster's own credentials. /version is public to any authenticated identity, so a 401 means the
 * credentials themselves are wrong, and anything else that fails means the endpoint or its TLS is.
 */
export async function probeCluster(client: Pick<ClusterReach, 'serverVersion'>, endpoint: string): Promise<ProbeResult> {
  try {
    return { reachable: true, kubernetesVersion: await client.serverVersion() };
  } catch (err) {
    return { reachable: false, reason: probeFailure(err, endpoint) };
  }
}

function probeFailure(err: unknown, endpoint: string): string {
  if (!(err instanceof ClusterError)) return `probing ${endpoint} failed: ${errorMessage(err)}`;
  const detail = err.message.replace(/^read server version: /, '');
  if (err.status === 401) return `the API server at ${endpoint} rejected the credentials (401 ${detail})`;
  if (err.status !== undefined) return `the API server at ${endpoint} answered ${err.status}: ${detail}`;
  return `cannot reach the API server at ${endpoint}: ${detail}`;
}
