import * as z from 'zod';
import { ValidationError } from '../../lib/core/errors/validation-error.ts';
import { parseWith } from '../../lib/core/errors/zod-issues.ts';
import { allZeroSha, commitVariables, shortSha, splitRef, type ReadDelivery } from '../../lib/core/trigger/ci-event.ts';
import { sameSecret, type Verified } from './signature.ts';
import { bodyDigest, deliveryIdFrom, payloadOf, type WebhookRequest } from './webhook-request.ts';

// GitLab webhooks (docs.gitlab.com, "Webhooks" and "Webhook events"): the webhook's secret token is sent as it is in
// X-Gitlab-Token; the event type is in X-Gitlab-Event. Retries and "Resend request" keep the Idempotency-Key header
// (GitLab 17.4 and later); older instances send X-Gitlab-Event-UUID.

export function verifyGitLab(secret: Buffer, request: WebhookRequest): Verified {
  const token = request.headers['x-gitlab-token'];
  if (token === undefined || token === '') return { ok: false, reason: 'X-Gitlab-Token is missing: set the secret token in the GitLab webhook settings' };
  return sameSecret(Buffer.from(token, 'utf8'), secret) ? { ok: true } : { ok: false, reason: "X-Gitlab-Token is not this trigger's secret token" };
}

const Project = z.looseObject({ path_with_namespace: z.string().min(1) });
const sha = z.string().regex(/^[0-9a-f]{40}$/);

const PushPayload = z.looseObject({
  object_kind: z.enum(['push', 'tag_push']),
  ref: z.string().min(1),
  after: sha,
  checkout_sha: sha.nullish(),
  project: Project,
});

const PipelinePayload = z.looseObject({
  object_kind: z.literal('pipeline'),
  object_attributes: z.looseObject({
    id: z.int(),
    ref: z.string().min(1),
    tag: z.boolean(),
    sha,
    status: z.string(),
  }),
  project: Project,
});

/** Reads a verified GitLab delivery: push, tag push, pipeline succeeded; other hooks are ignored. */
export function readGitLabDelivery(request: WebhookRequest): ReadDelivery {
  const eventType = request.headers['x-gitlab-event'];
  if (eventType === undefined || eventType === '') throw ValidationError.single('headers.x-gitlab-event', 'is required: GitLab names the hook there');
  const deliveryId = deliveryIdFrom(request, 'idempotency-key') ?? deliveryIdFrom(request, 'x-gitlab-event-uuid') ?? bodyDigest(request);
  const payload = payloadOf(request);
  switch (eventType) {
    case 'Push Hook':
    case 'Tag Push Hook':
      return readPush(parseWith(PushPayload, payload, ''), deliveryId);
    case 'Pipeline Hook':
      return readPipeline(parseWith(PipelinePayload, payload, ''), deliveryId);
    default:
      return { kind: 'ignored', reason: `GitLab ${eventType} events deploy nothing; triggers act on Push Hook, Tag Push Hook and Pipeline Hook` };
  }
}

function readPush(push: z.output<typeof PushPayload>, deliveryId: string): ReadDelivery {
  const repository = push.project.path_with_namespace.toLowerCase();
  const ref = splitRef(push.ref);
  const commit = push.checkout_sha ?? push.after;
  if (allZeroSha.test(push.after)) return { kind: 'ignored', reason: `${push.ref} of ${repository} was deleted` };
  if (ref === undefined) return { kind: 'ignored', reason: `push to ${push.ref}, which is neither a branch nor a tag` };
  if ('branch' in ref) {
    return {
      kind: 'event',
      event: {
        source: 'gitlab',
        kind: 'push',
        deliveryId,
        summary: `push of ${shortSha(commit)} to branch ${ref.branch} of ${repository}`,
        subject: { branch: ref.branch, repository },
        variables: { ...commitVariables(commit), branch: ref.branch, repository },
      },
    };
  }
  return {
    kind: 'event',
    event: {
      source: 'gitlab',
      kind: 'tag',
      deliveryId,
      summary: `tag ${ref.tag} (${shortSha(commit)}) of ${repository}`,
      subject: { tag: ref.tag, repository },
      variables: { ...commitVariables(commit), tag: ref.tag, repository },
    },
  };
}

function readPipeline(pipeline: z.output<typeof PipelinePayload>, deliveryId: string): ReadDelivery {
  const { id, ref, tag, sha: commit, status } = pipeline.object_attributes;
  const repository = pipeline.project.path_with_namespace.toLowerCase();
  if (status !== 'success') return { kind: 'ignored', reason: `pipeline ${id} of ${repository} is ${status}; only successful pipelines deploy` };
  const where: Record<string, string> = tag ? { tag: ref } : { branch: ref };
  return {
    kind: 'event',
    event: {
      source: 'gitlab',
      kind: 'pipeline',
      deliveryId,
      summary: `pipeline ${id} succeeded for ${shortSha(commit)} on ${tag ? 'tag' : 'branch'} ${ref} of ${repository}`,
      subject: { ...where, repository },
      variables: { ...commitVariables(commit), ref, pipelineId: String(id), repository, ...where },
    },
  };
}
