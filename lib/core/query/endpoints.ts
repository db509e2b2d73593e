import type { KubernetesObject } from '../object/kubernetes-object.ts';
import { OamLabel } from '../render/oam-labels.ts';
import type { Endpoint } from './cluster-query.ts';
import type { PodSelection } from './cluster-query.ts';
import type { ResourceReference } from '../run/inventory.ts';
import { objectIdentity } from './object-identity.ts';

interface ServicePort {
  port?: number;
  nodePort?: number;
  protocol?: string;
}
interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

/**
 * How to reach a live Service or Ingress, as `vela status --endpoint` lists it: load-balancer addresses with each
 * port, node ports, the cluster IP (inside the cluster only), and an Ingress's hosts and paths on its addresses.
 */
export function endpointOf(object: KubernetesObject): Endpoint | undefined {
  const component = object.metadata.labels?.[OamLabel.component];
  const base = { ...(component === undefined ? {} : { component }), name: object.metadata.name };
  const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
  const status = (object as { status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } } }).status;
  const balancers = (status?.loadBalancer?.ingress ?? []).map((entry) => entry.ip ?? entry.hostname).filter((a): a is string => !!a);
  if (object.kind === 'Service') {
    const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
    const ports = (Array.isArray(spec.ports) ? spec.ports : []) as ServicePort[];
    const addresses: string[] = [];
    for (const address of balancers) for (const port of ports) addresses.push(`${address}:${port.port}`);
    for (const port of ports) if (port.nodePort !== undefined) addresses.push(`nodePort ${port.nodePort}/${port.protocol ?? 'TCP'}`);
    const clusterIP = typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
    if (clusterIP !== undefined) for (const port of ports) addresses.push(`${clusterIP}:${port.port} (in cluster)`);
    return { ...base, kind: 'Service', type, addresses };
  }
  if (object.kind === 'Ingress') {
    const tls = new Set(((Array.isArray(spec.tls) ? spec.tls : []) as { hosts?: string[] }[]).flatMap((entry) => entry.hosts ?? []));
    const rules = (Array.isArray(spec.rules) ? spec.rules : []) as { host?: string; http?: { paths?: { path?: string }[] } }[];
    const addresses: string[] = [];
    for (const rule of rules) {
      const scheme = rule.host !== undefined && tls.has(rule.host) ? 'https' : 'http';
      const hosts = rule.host !== undefined ? [rule.host] : balancers;
      const paths = (rule.http?.paths ?? []).map((entry) => entry.path ?? '/');
      for (const host of hosts) for (const path of paths.length > 0 ? paths : ['/']) addresses.push(`${scheme}://${host}${path}`);
    }
    if (rules.some((rule) => rule.host !== undefined)) for (const address of balancers) addresses.push(`${address} (load balancer)`);
    return { ...base, kind: 'Ingress', addresses };
  }
  return undefined;
}

/** The objects among what a target applied that can have an address. */
export function endpointObjects(resources: readonly KubernetesObject[]): ResourceReference[] {
  return resources
    .filter((object) => (object.kind === 'Service' && object.apiVersion === 'v1') || (object.kind === 'Ingress' && object.apiVersion.startsWith('networking.k8s.io/')))
    .map(objectIdentity);
}

/** Kinds whose pods carry the selector in `spec.selector.matchLabels`. */
const podOwners = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The pods of each component, found the way its workloads find them. */
export function podSelections(resources: readonly KubernetesObject[], component?: string): PodSelection[] {
  const selections: PodSelection[] = [];
  for (const object of resources) {
    const owner = object.metadata.labels?.[OamLabel.component];
    if (owner === undefined || (component !== undefined && owner !== component)) continue;
    if (object.kind === 'Pod') {
      selections.push({ component: owner, podName: object.metadata.name });
      continue;
    }
    if (!podOwners.has(object.kind)) continue;
    const matchLabels = (object as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels;
    if (matchLabels !== undefined && Object.keys(matchLabels).length > 0) selections.push({ component: owner, matchLabels });
  }
  return selections;
}

