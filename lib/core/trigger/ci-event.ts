import type { EventKind, EventSubject, TriggerSource } from './trigger-rule.ts';

/**
 * An event of a CI system or registry, as the providers' readers hand it to trigger matching: what happened, what the
 * rules filter on, and the variables an image template can use. Every source is read into this one shape, so matching
 * and deploying know nothing of GitHub's, GitLab's or EventBridge's payloads.
 */
export interface CiEvent {
  source: TriggerSource;
  kind: EventKind;
  /** The provider's id of this delivery; a trigger processes each at most once. */
  deliveryId: string;
  /**
   * `sha256:<hex>` of the signed body, for providers whose delivery id is not signed (GitHub's X-GitHub-Delivery): a
   * trigger processes each body at most once too, so a captured request replayed under a new id deploys nothing.
   */
  bodyDigest?: string;
  /** For people: `push of 6113728 to branch main of codertocat/hello-world`. */
  summary: string;
  /** What the rules' filters compare with. */
  subject: Partial<Record<EventSubject, string>>;
  /** What `${name}` in an image template inserts. */
  variables: Record<string, string>;
}

/** What a provider's reader makes of a delivery: an event to match, or a reason to ignore it (ping, a deleted branch). */
export type ReadDelivery = { kind: 'event'; event: CiEvent } | { kind: 'ignored'; reason: string };

export const allZeroSha = /^0+$/;

/** The first 7 characters, as `git log --oneline` shows a commit. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The commit variables: `sha` and `shortSha`. */
export function commitVariables(sha: string): Record<string, string> {
  return { sha, shortSha: shortSha(sha) };
}

/** `refs/heads/main` -> branch main, `refs/tags/v1` -> tag v1. */
export function splitRef(ref: string): { branch: string } | { tag: string } | undefined {
  if (ref.startsWith('refs/heads/')) return { branch: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { tag: ref.slice('refs/tags/'.length) };
  return undefined;
}
