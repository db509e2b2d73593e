import * as z from 'zod';
import { defineComponent } from '../component-definition.ts';
import { containerProperties, deployment, deploymentHealth } from './deployment.ts';

/** KubeVela's `worker`: a Deployment with no network endpoint. */
export const worker = defineComponent({
  type: 'worker',
  description: 'A long-running, scalable containerized service that receives no network traffic.',
  properties: z.strictObject(containerProperties),
  render: (properties, context) => ({ workload: deployment(context, { container: properties }) }),
  health: deploymentHealth,
});
