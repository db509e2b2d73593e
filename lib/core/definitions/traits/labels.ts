import { defineTrait } from '../trait-definition.ts';
import { MetadataEntries, metadataPatch } from './metadata-patch.ts';

/** KubeVela's `labels`: adds (or with null removes) labels on the workload and its pod template. */
export const labels = defineTrait({
  type: 'labels',
  description: 'Adds labels to the workload and to the pods it creates.',
  properties: MetadataEntries,
  render: (properties, context) => ({ patch: metadataPatch(context.workload, 'labels', properties, false) }),
});
