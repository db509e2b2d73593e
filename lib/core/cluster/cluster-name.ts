import { isDnsLabel } from '../application/dns-name.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { RESERVED_CLUSTER_NAME } from '../policy/cluster-name.ts';

/** KubeVela's own words, so people moving from `vela cluster join` recognise the refusal. */
export const reservedClusterNameMessage = `ClusterName cannot be \`${RESERVED_CLUSTER_NAME}\`, it is reserved as the local cluster`;

/**
 * A member cluster's name: a DNS-1123 label (it ends up in topology policies, object labels and key paths), never
 * `local`. Throws a ValidationError located at `path`.
 */
export function checkClusterName(name: string, path = 'name'): string {
  if (name === RESERVED_CLUSTER_NAME) throw ValidationError.single(path, reservedClusterNameMessage);
  if (!isDnsLabel(name)) {
    throw ValidationError.single(
      path,
      `"${name}" is not a valid cluster name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label)`,
    );
  }
  return name;
}
