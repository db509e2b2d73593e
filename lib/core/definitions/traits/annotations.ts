import { defineTrait } from '../trait-definition.ts';
import { MetadataEntries, metadataPatch } from './metadata-patch.ts';

/** KubeVela's `annotations`: adds (or with null removes) annotations on the workload, its pods and job templates. */
export const annotations = defineTrait({
  type: 'annotations',
  description: 'Adds annotations to the workload and to the pods or jobs it creates.',
  properties: MetadataEntries,
  render: (properties, context) => ({ patch: metadataPatch(context.workload, 'annotations', properties, true) }),
});
