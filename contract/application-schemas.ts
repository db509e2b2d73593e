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
    description:
      '`created`: a new revision was stored and its workflow queued (nothing is deployed until that run succeeds). `unchanged`: nothing was stored or queued (see `unchangedBecause`).',
  }),
  unchangedBecause: z.enum(['same-spec', 'same-publish-version']).optional().meta({
    description:
      "With `unchanged`: `same-spec`, the document is the current revision's (the one the clusters run, also after a rollback); `same-publish-version`, the document carries the current revision's app.oam.dev/publishVersion, which pins the workflow to that revision: spec edits run only under a new value.",
  }),
  publishVersion: z.string().optional().meta({ description: "The revision's app.oam.dev/publishVersion." }),
  status: statusUrl,
  latestRun: z
    .object({ revision: revisionName, phase: RunPhase })
    .optional()
    .meta({ description: 'With `unchanged`: the latest workflow run, so the caller knows what runs instead.' }),
});

export const ApplicationSummary = z.object({
  namespace: z.string(),
  name: z.string(),
  revision: revisionName.meta({
    description: 'The revision the clusters run (the live workflow run\'s; after a rollback, the revision rolled back to), or before any run the one about to run.',
  }),
  revisionNumber: z.int(),
  publishVersion: z.string().optional().meta({ description: "That revision's app.oam.dev/publishVersion." }),
  newestRevision: revisionName.optional().meta({ description: 'The newest stored revision; another than `revision` after a rollback.' }),
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
  current: z.boolean().meta({ description: 'Whether it is the revision the clusters run (the live workflow run\'s; after a rollback, the revision rolled back to).' }),
  succeeded: z.boolean().meta({ description: 'Whether a workflow run of this revision succeeded (rollback goes to the newest such revision).' }),
});

export const RevisionDetail = RevisionView.extend({
  document: z.unknown().meta({ description: 'The Application as it was checked and stored with this revision (JSON).' }),
});

export const RevisionList = z.object({ revisions: z.array(RevisionView).meta({ description: 'Newest first.' }) });

/** Objects left in a cluster because it could not be reached when the application was deleted with force (or detached). */
export const OrphanView = z.object({
  cluster: z.string(),
  revision: z.int(),
  resources: z.array(z.object({ apiVersion: z.string(), kind: z.string(), namespace: z.string().optional(), name: z.string() })),
  reason: z.string().optional(),
  recordedAt: z.string(),
});

export const OrphanList = z.object({ orphans: z.array(OrphanView).meta({ description: 'Oldest first.' }) });

export const DeleteApplicationResult = z.object({
  namespace: z.string(),
  name: z.string(),
  deleting: z.literal(true),
  force: z.boolean(),
  status: statusUrl,
});
