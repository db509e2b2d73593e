import * as z from 'zod';
import { limitMessages, MAX_OBJECTS } from '../../application/limits.ts';
import { KubernetesObject } from '../../object/kubernetes-object.ts';
import { defineComponent } from '../component-definition.ts';

/**
 * KubeVela's `k8s-objects`: raw manifests. The first object is the workload, the others are outputs named
 * `objects-<index>`. The usual way to create a Namespace in member clusters before the components that need it.
 */
export const k8sObjects = defineComponent({
  type: 'k8s-objects',
  description: 'Raw Kubernetes objects, applied as they are written.',
  properties: z.strictObject({ objects: z.array(KubernetesObject).min(1).max(MAX_OBJECTS, limitMessages.objects) }),
  render(properties) {
    const [workload, ...rest] = properties.objects.map((object) => structuredClone(object));
    if (workload === undefined) throw new Error('objects is checked to be non-empty');
    return { workload, outputs: rest.map((object, index) => ({ name: `objects-${index + 1}`, object })) };
  },
});
