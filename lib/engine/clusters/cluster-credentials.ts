import { ClusterConnection } from '../../core/cluster/cluster-connection.ts';
import type { CredentialCipher } from '../ports/credential-cipher.ts';
import type { SealedSecret } from '../../core/secret/sealed-secret.ts';

/**
 * Bound to the cluster's stable id rather than its name, so a rename keeps the sealed credentials valid while a sealed
 * blob copied onto another cluster's record still cannot be opened there.
 */
function encryptionContext(clusterId: string): Record<string, string> {
  return { purpose: 'flotilla/cluster-credentials', clusterId };
}

/** Seals the whole connection (endpoint, CA, credential): nothing secret-looking is left in the stored record. */
export function sealConnection(cipher: CredentialCipher, clusterId: string, connection: ClusterConnection): Promise<SealedSecret> {
  return cipher.seal(Buffer.from(JSON.stringify(connection), 'utf8'), encryptionContext(clusterId));
}

export async function openConnection(cipher: CredentialCipher, clusterId: string, sealed: SealedSecret): Promise<ClusterConnection> {
  const plaintext = await cipher.open(sealed, encryptionContext(clusterId));
  try {
    return ClusterConnection.parse(JSON.parse(plaintext.toString('utf8')));
  } finally {
    plaintext.fill(0);
  }
}
