import * as z from 'zod';
import { ValidationError } from '../../lib/core/errors/validation-error.ts';
import { parseWith } from '../../lib/core/errors/zod-issues.ts';
import { allZeroSha, commitVariables, shortSha, splitRef, type CiEvent, type ReadDelivery } from '../../lib/core/trigger/ci-event.ts';
import { digestFromHeader, hmacSha256, sameSecret, type Verified } from './signature.ts';
import { deliveryIdFrom, payloadOf, type WebhookRequest } from './webhook-request.ts';

// GitHub webhooks (docs.github.com, "Validating webhook deliveries" and "Webhook events and payloads"): the body is
// signed with HMAC-SHA256 under the webhook's secret, in X-Hub-Signature-256: sha256=<hex>; the event type is in
// X-GitHub-Event, the delivery's GUID (kept by redeliveries) in X-GitHub-Delivery.

export function verifyGitHub(secret: Buffer, request: WebhookRequest): Verified {
  const header = request.headers['x-hub-signature-256'];
  if (header === undefined || header === '') {
    return { ok: false, reason: 'X-Hub-Signature-256 is missing: set the secret in the GitHub webhook settings' };
  }
  const presented = digestFromHeader(header, 'sha256=');
  if (presented === undefined) return { ok: false, reason: 'X-Hub-Signature-256 must read sha256=<64 hex digits>' };
  return sameSecret(presented, hmacSha256(secret, request.body)) ? { ok: true } : { ok: false, reason: 'X-Hub-Signature-256 does not match the body under this trigger\'s secret' };
}

const Repository = z.looseObject({ full_name: z.string().min(1) });

const PushPayload = z.looseObject({
  ref: z.string().min(1),
  after: z.string().regex(/^[0-9a-f]{40}$/),
  deleted: z.boolean().optional(),
  repository: Repository,
});

const PackageVersion = z.looseObject({
  version: z.string(),
  package_url: z.string().nullish(),
  container_metadata: z
    .looseObject({ tag: z.looseObject({ name: z.string().nullish(), digest: z.string().nullish() }).nullish() })
    .nullish(),
});
const PackageBody = z.looseObject({ name: z.string().min(1), package_type: z.string(), package_version: PackageVersion.nullish() });
const PackagePayload = z.looseObject({ action: z.string(), package: PackageBody, repository: Repository.nullish() });
const RegistryPackagePayload = z.looseObject({ action: z.string(), registry_package: PackageBody, repository: Repository.nullish() });

const WorkflowRunPayload = z.looseObject({
  action: z.string(),
  workflow_run: z.looseObject({
    name: z.string().nullish(),
    head_branch: z.string().nullish(),
    head_sha: z.string().regex(/^[0-9a-f]{40}$/),
    status: z.string().nullish(),
    conclusion: z.string().nullish(),
    run_number: z.int(),
  }),
  repository: Repository,
});

/** Reads a verified GitHub delivery: push (branch or tag), package published, workflow run succeeded; the rest is ignored. */
export function readGitHubDelivery(request: WebhookRequest): ReadDelivery {
  const eventType = request.headers['x-github-event'];
  if (eventType === undefined || eventType === '') throw ValidationError.single('headers.x-github-event', 'is required: GitHub names the event type there');
  const deliveryId = deliveryIdFrom(request, 'x-github-delivery');
  if (deliveryId === undefined) throw ValidationError.single('headers.x-github-delivery', 'is required: GitHub sends the delivery GUID there');
  const payload = payloadOf(request);
  switch (eventType) {
    case 'ping':
      return { kind: 'ignored', reason: 'ping: GitHub reaches this trigger and the secret matches' };
    case 'push':
      return readPush(parseWith(PushPayload, payload, ''), deliveryId);
    case 'package':
      return readPackage(parseWith(PackagePayload, payload, ''), (p) => p.package, deliveryId);
    case 'registry_package':
      return readPackage(parseWith(RegistryPackagePayload, payload, ''), (p) => p.registry_package, deliveryId);
    case 'workflow_run':
      return readWorkflowRun(parseWith(WorkflowRunPayload, payload, ''), deliveryId);
    default:
      return { kind: 'ignored', reason: `GitHub ${eventType} events deploy nothing; triggers act on push, package, registry_package and workflow_run` };
  }
}

function readPush(push: z.output<typeof PushPayload>, deliveryId: string): ReadDelivery {
  const repository = push.repository.full_name.toLowerCase();
  const ref = splitRef(push.ref);
  if (push.deleted === true || allZeroSha.test(push.after)) return { kind: 'ignored', reason: `${push.ref} of ${repository} was deleted` };
  if (ref === undefined) return { kind: 'ignored', reason: `push to ${push.ref}, which is neither a branch nor a tag` };
  const base = { source: 'github', deliveryId } as const;
  if ('branch' in ref) {
    return {
      kind: 'event',
      event: {
        ...base,
        kind: 'push',
        summary: `push of ${shortSha(push.after)} to branch ${ref.branch} of ${repository}`,
        subject: { branch: ref.branch, repository },
        variables: { ...commitVariables(push.after), branch: ref.branch, repository },
      },
    };
  }
  return {
    kind: 'event',
    event: {
      ...base,
      kind: 'tag',
      summary: `tag ${ref.tag} (${shortSha(push.after)}) of ${repository}`,
      subject: { tag: ref.tag, repository },
      variables: { ...commitVariables(push.after), tag: ref.tag, repository },
    },
  };
}

function readPackage<P extends { action: string; repository?: { full_name: string } | null | undefined }>(
  payload: P,
  packageOf: (payload: P) => z.output<typeof PackageBody>,
  deliveryId: string,
): ReadDelivery {
  const pkg = packageOf(payload);
  if (payload.action !== 'published') return { kind: 'ignored', reason: `package ${pkg.name} ${payload.action}; only published packages deploy` };
  const version = pkg.package_version;
  const container = version?.container_metadata != null || ['container', 'docker'].includes(pkg.package_type.toLowerCase());
  if (!container || version == null) return { kind: 'ignored', reason: `package ${pkg.name} is a ${pkg.package_type} package, not a container image` };
  const url = version.package_url ?? '';
  // package_url is `ghcr.io/owner/name:tag` (the tag may be empty); the name part of an image is lowercase.
  const lastSlash = url.lastIndexOf('/');
  const colon = url.indexOf(':', lastSlash + 1);
  const name = (colon < 0 ? url : url.slice(0, colon)).toLowerCase();
  const tag = version.container_metadata?.tag?.name || (colon < 0 ? '' : url.slice(colon + 1));
  const digest = version.container_metadata?.tag?.digest ?? '';
  const image = name === '' ? undefined : tag !== '' ? `${name}:${tag}` : digest !== '' ? `${name}@${digest}` : undefined;
  if (image === undefined) return { kind: 'ignored', reason: `package ${pkg.name} ${version.version} names no image with a tag or digest` };
  const repository = payload.repository?.full_name.toLowerCase() ?? '';
  const event: CiEvent = {
    source: 'github',
    kind: 'package',
    deliveryId,
    summary: `package ${pkg.name} published as ${image}`,
    subject: { package: pkg.name, ...(tag === '' ? {} : { tag }) },
    variables: { image, package: pkg.name, version: version.version, repository, ...(tag === '' ? {} : { tag }), ...(digest === '' ? {} : { digest }) },
  };
  return { kind: 'event', event };
}

function readWorkflowRun(payload: z.output<typeof WorkflowRunPayload>, deliveryId: string): ReadDelivery {
  const run = payload.workflow_run;
  const workflow = run.name ?? '';
  if (payload.action !== 'completed') return { kind: 'ignored', reason: `workflow run ${workflow} ${payload.action}; only completed runs deploy` };
  if (run.conclusion !== 'success') return { kind: 'ignored', reason: `workflow run ${workflow} completed with conclusion ${run.conclusion ?? 'none'}; only successful runs deploy` };
  const repository = payload.repository.full_name.toLowerCase();
  const branch = run.head_branch ?? '';
  return {
    kind: 'event',
    event: {
      source: 'github',
      kind: 'workflow',
      deliveryId,
      summary: `workflow ${workflow} #${run.run_number} succeeded for ${shortSha(run.head_sha)} on branch ${branch} of ${repository}`,
      subject: { workflow, branch, repository },
      variables: { ...commitVariables(run.head_sha), branch, workflow, runNumber: String(run.run_number), repository },
    },
  };
}
