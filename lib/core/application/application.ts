import * as z from 'zod';
import { ApplicationComponent } from './component.ts';
import { dnsLabel } from './dns-name.ts';
import { limitMessages, MAX_COMPONENTS, MAX_POLICIES } from './limits.ts';
import { ApplicationPolicy } from './policy.ts';
import { Workflow } from './workflow-step.ts';

export const PUBLISH_VERSION_ANNOTATION = 'app.oam.dev/publishVersion';

// Unknown metadata fields (uid, resourceVersion, managedFields...) are dropped rather than refused, so the output of
// `kubectl get -o yaml` can be submitted as it is.
export const ApplicationMetadata = z.object({
  name: dnsLabel('application name'),
  namespace: dnsLabel('namespace').default('default'),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ApplicationMetadata = z.infer<typeof ApplicationMetadata>;

export const ApplicationSpec = z.strictObject({
  components: z.array(ApplicationComponent).min(1).max(MAX_COMPONENTS, limitMessages.components),
  policies: z.array(ApplicationPolicy).max(MAX_POLICIES, limitMessages.policies).optional(),
  workflow: Workflow.optional(),
});
export type ApplicationSpec = z.infer<typeof ApplicationSpec>;

/** An OAM `core.oam.dev/v1beta1` Application, structurally checked. parseApplication also checks its meaning. */
export const Application = z.object({
  apiVersion: z.literal('core.oam.dev/v1beta1'),
  kind: z.literal('Application'),
  metadata: ApplicationMetadata,
  spec: ApplicationSpec,
});
export type Application = z.infer<typeof Application>;
