import * as z from 'zod';
import { dnsLabel } from '../lib/core/application/dns-name.ts';
import { QueryAnswer, QueryPartState } from '../lib/core/query/cluster-query.ts';
import { ClusterDiffSchema } from '../lib/core/query/diff-schemas.ts';
import { queryLimits } from '../lib/core/query/query-limits.ts';
import { GoDuration, parseGoDuration } from '../lib/core/workflow/go-duration.ts';
import { ApplicationTree } from '../lib/core/query/application-tree.ts';
import { booleanFlag } from './parameters.ts';

export { ApplicationTree };

export const QueryPath = z.strictObject({
  namespace: dnsLabel('namespace').meta({ description: "The application's namespace." }),
  id: z.uuid({ error: 'must be a query id, as the query answered it' }).meta({ description: 'The query id.' }),
});

/** One (cluster, namespace) of a cluster query as the API shows it. */
export const QueryPartView = z.object({
  cluster: z.string(),
  namespace: z.string().meta({ description: 'Where in the cluster the part read.' }),
  state: QueryPartState,
  message: z.string().optional().meta({ description: 'Why the part failed, or what was cut to stay within the bounds.' }),
  answer: QueryAnswer.optional(),
});

export const QueryView = z.object({
  id: z.string(),
  kind: z.enum(['live-diff', 'endpoints', 'logs']),
  namespace: z.string(),
  name: z.string().meta({ description: 'The application.' }),
  done: z.boolean().meta({ description: 'False while some part waits for the applier: GET `poll` until it is true.' }),
  poll: z.url().meta({ description: 'Where to read the query again (kept 10 minutes).' }),
  parts: z.array(QueryPartView),
});
export type QueryView = z.infer<typeof QueryView>;

export const DiffQuery = z.strictObject({
  live: booleanFlag('Also dry-run the new objects in each cluster (server-side apply, dryRun=All) and show what the cluster would change on the live objects.'),
});

export const DiffResult = z.object({
  namespace: z.string(),
  name: z.string(),
  current: z.string().optional().meta({ description: 'The revision compared against; absent for a new application.' }),
  clusters: z.array(ClusterDiffSchema),
  live: QueryView.optional().meta({ description: 'With live=true: the server-side dry run in each cluster.' }),
});

export const EndpointsResult = QueryView.meta({ description: "A query of the Services and Ingresses, read live." });

export const LogsQuery = z.strictObject({
  cluster: z.string().min(1).optional().meta({ description: 'Only this cluster.' }),
  component: z.string().min(1).optional().meta({ description: 'Only this component.' }),
  tail: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number of lines' })
    .transform(Number)
    .pipe(z.int().min(1, { error: 'must be at least 1' }).max(queryLimits.maxTailLines, { error: `must be at most ${queryLimits.maxTailLines}` }))
    .optional()
    .meta({ description: `Lines per container, ${queryLimits.defaultTailLines} by default, at most ${queryLimits.maxTailLines}.` }),
  since: GoDuration.transform((text) => Math.max(1, Math.ceil(parseGoDuration(text) ?? 0)))
    .optional()
    .meta({ description: 'Only lines newer than this Go duration (`10m`, `1h`).' }),
});

export const LogsResult = QueryView.extend({
  follow: z.array(z.string()).meta({ description: 'No follow through Flotilla (Lambda answers once): the kubectl commands that follow these logs, for whoever holds a kubeconfig.' }),
});

export const TreeQuery = z.strictObject({});
