import * as z from 'zod';
import { dnsLabel } from '../lib/core/application/dns-name.ts';
import { booleanFlag } from './parameters.ts';
import { RunPhase } from '../lib/core/run/run.ts';

export const ListApplicationsQuery = z.strictObject({
  namespace: dnsLabel('namespace')
    .optional()
    .meta({ description: 'Only this namespace. Without it: every namespace the token may read.' }),
});

export const DeleteApplicationQuery = z.strictObject({
  force: booleanFlag('Leave objects in clusters that cannot be reached (recorded as orphans) instead of retrying until they can.'),
});

export const StatusQuery = z.strictObject({
  svc: z.string().min(1).optional().meta({ description: "Only this component's services (`vela status --svc`)." }),
});

const revisionName = z.string().meta({ description: 'The revision, `<name>-v<N>`.' });
const statusUrl = z.url().meta({ description: 'Where to read the status: GET it.' });

export const SubmitApplicationResult = z.object({
  name: z.string(),
  namespace: z.string(),
  revision: revisionName,
  revisionNumber: z.int(),
  outcome: z.enum(['created', 'unchanged']).meta({
    description: '`created`: a new revision was stored and its workflow queued. `unchanged`: the same spec and publishVersion as the current revision; nothing was queued.',
  }),
  status: statusUrl,
  latestRun: z
    .object({ revision: revisionName, phase: RunPhase })
    .optional()
    .meta({ description: 'With `unchanged`: the latest workflow run, so the caller knows what runs instead.' }),
});

export const ApplicationSummary = z.object({
  namespace: z.string(),
  name: z.string(),
  revision: revisionName,
  revisionNumber: z.int(),
  publishVersion: z.string().optional(),
  deleting: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const ApplicationList = z.object({ applications: z.array(ApplicationSummary) });

export const ApplicationDetail = ApplicationSummary.extend({
  document: z.unknown().meta({ description: 'The current revision\'s Application, as it was checked and stored (JSON).' }),
});

export const RevisionView = z.object({
  name: revisionName,
  revisionNumber: z.int(),
  publishVersion: z.string().optional(),
  specHash: z.string(),
  createdAt: z.iso.datetime(),
  current: z.boolean().meta({ description: "Whether it is the application's current revision." }),
  succeeded: z.boolean().meta({ description: 'Whether a workflow run of this revision succeeded (rollback goes to the newest such revision).' }),
});

export const RevisionDetail = RevisionView.extend({
  document: z.unknown().meta({ description: 'The Application as it was checked and stored with this revision (JSON).' }),
});

export const RevisionList = z.object({ revisions: z.array(RevisionView).meta({ description: 'Newest first.' }) });

export const DeleteApplicationResult = z.object({
  namespace: z.string(),
  name: z.string(),
  deleting: z.literal(true),
  force: z.boolean(),
  status: statusUrl,
});
