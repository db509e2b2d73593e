import * as z from 'zod';
import { ClusterName } from './cluster-name.ts';

/** A registered member cluster as planning sees it: its name and its labels (`provider: AWS`). */
export interface ClusterInfo {
  name: string;
  labels: Record<string, string>;
}

export const ClusterInfo = z.strictObject({
  name: ClusterName,
  labels: z.record(z.string(), z.string()).default({}),
});

export const ClusterList = z.array(ClusterInfo).superRefine((clusters, context) => {
  const seen = new Set<string>();
  clusters.forEach((cluster, index) => {
    if (seen.has(cluster.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `cluster ${cluster.name} is listed twice` });
    seen.add(cluster.name);
  });
});
