import * as z from 'zod';
import { KubernetesObject } from '../object/kubernetes-object.ts';
import { ResourceReference } from '../run/inventory.ts';
import { ObjectDiffSchema } from './diff-schemas.ts';

/** The pods of one component, found the way its workload finds them: by its selector, or a Pod by name. */
export const PodSelection = z.object({
  component: z.string().min(1),
  /** `matchLabels` of the workload's selector; absent for a Pod named directly. */
  matchLabels: z.record(z.string(), z.string()).optional(),
  podName: z.string().min(1).optional(),
});
export type PodSelection = z.infer<typeof PodSelection>;

/** What the applier is asked to read from one (cluster, namespace); only ever reads or dry runs. */
export const QueryRequest = z.discriminatedUnion('kind', [
  z.object({
    /** Server-side apply with dryRun=All, compared with the live object: what the cluster would change. */
    kind: z.literal('live-diff'),
    objects: z.array(KubernetesObject),
  }),
  z.object({
    /** The Services and Ingresses named, read live for their addresses. */
    kind: z.literal('endpoints'),
    objects: z.array(ResourceReference),
  }),
  z.object({
    kind: z.literal('logs'),
    pods: z.array(PodSelection),
    tailLines: z.int().positive(),
    sinceSeconds: z.int().positive().optional(),
  }),
]);
export type QueryRequest = z.infer<typeof QueryRequest>;
export type QueryKind = QueryRequest['kind'];

export const LiveObjectDiff = ObjectDiffSchema.extend({
  /** Why this object could not be dry-run (the cluster refused it, say); `change` is then `unknown`. */
  error: z.string().optional(),
}).omit({ change: true }).extend({ change: z.enum(['added', 'changed', 'unchanged', 'unknown']) });
export type LiveObjectDiff = z.infer<typeof LiveObjectDiff>;

export const Endpoint = z.object({
  component: z.string().optional(),
  kind: z.enum(['Service', 'Ingress']),
  name: z.string().min(1),
  /** `LoadBalancer`, `NodePort`, `ClusterIP`... for a Service; absent for an Ingress. */
  type: z.string().optional(),
  /** Reachable forms: `http://host/path`, `203.0.113.4:80`, `nodePort 30080/TCP`, `10.96.0.12:80 (in cluster)`. */
  addresses: z.array(z.string()),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const ContainerLog = z.object({
  component: z.string().min(1),
  pod: z.string().min(1),
  container: z.string().min(1),
  /** The log text (the last `tail` lines, at most maxLogBytesPerContainer bytes). */
  text: z.string(),
  /** Why there is no text (the kubelet refused, say). */
  error: z.string().optional(),
});
export type ContainerLog = z.infer<typeof ContainerLog>;

export const QueryAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('live-diff'), objects: z.array(LiveObjectDiff) }),
  z.object({ kind: z.literal('endpoints'), endpoints: z.array(Endpoint) }),
  z.object({
    kind: z.literal('logs'),
    logs: z.array(ContainerLog),
    /** Pods left out past maxPodsPerPart. */
    skippedPods: z.int().nonnegative(),
  }),
]);
export type QueryAnswer = z.infer<typeof QueryAnswer>;

export const QueryPartState = z.enum(['pending', 'done', 'failed']);

/** One (cluster, namespace) of a query, as stored: what was asked, and once the applier ran it, the answer. */
export const QueryPart = z.object({
  queryId: z.string().min(1),
  index: z.int().nonnegative(),
  /** The namespace the query was asked in (the application's); the caller's token is checked against it. */
  namespace: z.string().min(1),
  application: z.string().min(1),
  cluster: z.string().min(1),
  /** Where in the cluster the part reads (the target's namespace). */
  targetNamespace: z.string().min(1),
  state: QueryPartState,
  request: QueryRequest,
  answer: QueryAnswer.optional(),
  /** Why the part failed, or what was cut (over the time or size budget). */
  message: z.string().optional(),
  requestedAt: z.iso.datetime(),
  answeredAt: z.iso.datetime().optional(),
});
export type QueryPart = z.infer<typeof QueryPart>;

