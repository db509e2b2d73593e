import { dnsLabel } from '../application/dns-name.ts';

/** KubeVela's name for its control-plane cluster; refused everywhere a member cluster is named. */
export const RESERVED_CLUSTER_NAME = 'local';

export const ClusterName = dnsLabel('cluster name').refine((name) => name !== RESERVED_CLUSTER_NAME, {
  error: `the cluster name "${RESERVED_CLUSTER_NAME}" is reserved: in KubeVela it means the control plane, and Flotilla's control plane is not a Kubernetes cluster`,
});
