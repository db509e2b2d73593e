import { applicationFromObject } from '../../lib/core/admission/parse-application.ts';
import { ValidationError, describeIssue } from '../../lib/core/errors/validation-error.ts';
import type { WorkQueues } from '../../lib/engine/ports/work-queues.ts';
import { ConflictError } from '../../lib/engine/ports/conflict-error.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import type { CredentialCipher } from '../../lib/engine/ports/credential-cipher.ts';
import { openRevisionDocument, submitApplication } from '../../lib/engine/secrets/application-secrets.ts';
import { publishVersionAnnotation, triggeredPublishVersion } from '../../lib/core/application/application-identity.ts';
import { runRequest } from '../../lib/engine/messages/planner-message.ts';

export interface DeployDependencies {
  store: Store;
  queues: WorkQueues;
  /** Opens the current revision's Secret values and seals them again for the derived one. */
  cipher: CredentialCipher;
  now(): Date;
}

/** Where a trigger deploys: one component of one application. */
export interface ImageTarget {
  namespace: string;
  application: string;
  component: string;
}

export interface ImageDeployed {
  /** `deployed`: a new revision was stored and its workflow queued; `unchanged`: the component already runs the image. */
  outcome: 'deployed' | 'unchanged';
  revision: string;
  revisionNumber: number;
  image: string;
}

/** The trigger's target is gone or no longer fits: the application was deleted, the component renamed. */
export class TriggerTargetError extends Error {
  readonly reason: 'application-missing' | 'application-deleting' | 'component-unfit';

  constructor(reason: TriggerTargetError['reason'], message: string) {
    super(message);
    this.name = 'TriggerTargetError';
    this.reason = reason;
  }
}

/** Other writers win the race this often before the trigger gives up with a conflict. */
const maxAttempts = 8;

/**
 * Publishes a new revision of the application with the component's `image` property set, and queues its workflow run,
 * as `POST /applications` does with a whole document. The document is the current revision's with that one property
 * changed, submitted `basedOn` that revision: if someone else publishes a revision meanwhile, the change is made again
 * on top of theirs instead of overwriting it.
 */
export async function deployImage(deps: DeployDependencies, target: ImageTarget, image: string): Promise<ImageDeployed> {
  const { namespace, application: name, component } = target;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const application = await deps.store.applications.get(namespace, name);
    if (application === undefined) throw new TriggerTargetError('application-missing', `application ${namespace}/${name} does not exist (any more); remove the trigger or submit the application again`);
    if (application.deleting) throw new TriggerTargetError('application-deleting', `application ${namespace}/${name} is being deleted`);
    const current = await deps.store.applications.getRevision(namespace, name, application.currentRevision);
    if (current === undefined) throw new Error(`application ${namespace}/${name} names revision ${application.currentRevision}, which is missing`);
    const document = structuredClone(await openRevisionDocument(deps.cipher, current)) as {
      metadata?: { annotations?: Record<string, string> };
      spec?: { components?: { name?: unknown; properties?: Record<string, unknown> }[] };
    };
    const entry = document.spec?.components?.find((candidate) => candidate.name === component);
    if (entry === undefined) throw new TriggerTargetError('component-unfit', `revision ${current.revisionName} has no component ${component}`);
    if (entry.properties?.image === image) {
      return { outcome: 'unchanged', revision: current.revisionName, revisionNumber: current.revision, image };
    }
    entry.properties = { ...entry.properties, image };
    // Under a publishVersion the derived revision needs a value of its own, or it would be pinned to the old one and
    // never run (KubeVela's kube-trigger bumps the annotation likewise).
    if (current.publishVersion !== undefined && document.metadata?.annotations !== undefined) {
      document.metadata.annotations[publishVersionAnnotation] = triggeredPublishVersion(current.publishVersion, component, image);
    }
    let checked;
    try {
      checked = applicationFromObject(document);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      throw new TriggerTargetError('component-unfit', `${current.revisionName} with component ${component} at image ${image} does not check out: ${err.details.map(describeIssue).join('; ')}`);
    }
    try {
      // The derived revision is confined as the one it derives from was: a trigger changes an image, not who may deploy.
      const scope = current.scope === undefined ? {} : { scope: current.scope };
      const submitted = await submitApplication({ applications: deps.store.applications, cipher: deps.cipher }, checked, deps.now(), { basedOn: current.revision, ...scope });
      const revision = submitted.revision;
      if (submitted.outcome === 'created') {
        await deps.queues.toPlanner([runRequest({ namespace, name, revision: revision.revision, reason: 'submit' }, deps.now())]);
      }
      return { outcome: submitted.outcome === 'created' ? 'deployed' : 'unchanged', revision: revision.revisionName, revisionNumber: revision.revision, image };
    } catch (err) {
      if (!(err instanceof ConflictError) || err.reason !== 'changed') throw err;
      // Another revision landed since we read ours: make the change again on top of it.
    }
  }
  throw new ConflictError('application', `${namespace}/${name}`, 'changed');
}
