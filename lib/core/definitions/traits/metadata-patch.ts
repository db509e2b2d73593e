import * as z from 'zod';
import type { KubernetesObject } from '../../object/kubernetes-object.ts';
import { readField } from '../../object/read-field.ts';

/** Label or annotation values; null removes the key, since the patch is a JSON merge patch. */
export const MetadataEntries = z.record(z.string(), z.string().nullable());

/**
 * A merge patch putting `entries` under `metadata.<field>` of the workload and of every pod template it holds
 * (`spec.template`, and for CronJob-like workloads `spec.jobTemplate` and its pod template), as KubeVela's labels and
 * annotations traits do.
 */
export function metadataPatch(workload: Readonly<KubernetesObject>, field: 'labels' | 'annotations', entries: Record<string, string | null>, withJobTemplate: boolean) {
  const metadata = { metadata: { [field]: entries } };
  const spec: Record<string, unknown> = {};
  if (readField(workload, 'spec', 'template') !== undefined) spec.template = metadata;
  if (withJobTemplate && readField(workload, 'spec', 'jobTemplate') !== undefined) {
    spec.jobTemplate = readField(workload, 'spec', 'jobTemplate', 'spec', 'template') === undefined ? metadata : { ...metadata, spec: { template: metadata } };
  }
  return Object.keys(spec).length === 0 ? metadata : { ...metadata, spec };
}
