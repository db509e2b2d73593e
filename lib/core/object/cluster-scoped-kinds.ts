import { apiGroup } from './kubernetes-object.ts';

// Built-in kinds that live outside namespaces. Rendering clears metadata.namespace on these, as KubeVela's dispatcher
// does. Custom resources are not known offline: an applier should still ask the cluster's discovery API for those.
const clusterScoped = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

// Built-in kinds that live inside a namespace. Tenancy needs the positive list too: a kind on neither list (a custom
// resource, a typo) cannot be confined to a namespace offline, so a namespace-limited token may not apply it.
const namespaced = new Set([
  '/ConfigMap',
  '/Secret',
  '/Service',
  '/ServiceAccount',
  '/Pod',
  '/PodTemplate',
  '/PersistentVolumeClaim',
  '/Endpoints',
  '/LimitRange',
  '/ResourceQuota',
  '/ReplicationController',
  '/Event',
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'apps/ControllerRevision',
  'batch/Job',
  'batch/CronJob',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
  'coordination.k8s.io/Lease',
  'discovery.k8s.io/EndpointSlice',
  'events.k8s.io/Event',
]);

export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return clusterScoped.has(`${apiGroup(apiVersion)}/${kind}`);
}

/** `unknown` for kinds on neither list: only the member cluster's discovery can tell where those live. */
export function kindScope(apiVersion: string, kind: string): 'cluster' | 'namespaced' | 'unknown' {
  const key = `${apiGroup(apiVersion)}/${kind}`;
  if (clusterScoped.has(key)) return 'cluster';
  return namespaced.has(key) ? 'namespaced' : 'unknown';
}
