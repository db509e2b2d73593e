import * as z from 'zod';
import type { EncryptionContext, SealedSecret } from '../../core/secret/sealed-secret.ts';
import type { CredentialCipher } from '../ports/credential-cipher.ts';
import { targetSecretsPurpose } from './target-secrets.ts';

/** One post of a notification or webhook step, as the planner seals it for the applier. */
export const OutboundPost = z.strictObject({
  /** `slack`: an incoming webhook; `webhook`: a generic receiver, signed when `secret` is given. */
  channel: z.enum(['slack', 'webhook']),
  url: z.string().min(1),
  body: z.string(),
  secret: z.string().optional(),
});
export type OutboundPost = z.infer<typeof OutboundPost>;

const OutboundPosts = z.array(OutboundPost).min(1);

/** The step id a notification target's posts are sealed under: no step has it (step ids are 10 of [a-z1-9]). */
export const targetPostsStep = 'notification-target';

/**
 * Bound to one step of one run. Under the targets' purpose, whose grants already match (the planner seals, the
 * applier opens), with a context no target's can equal (targets name a cluster and namespace).
 */
function outboundContext(runId: string, stepId: string): EncryptionContext {
  return { purpose: targetSecretsPurpose, runId, stepId, delivery: 'outbound' };
}

export function sealOutboundPosts(cipher: CredentialCipher, runId: string, stepId: string, posts: OutboundPost[]): Promise<SealedSecret> {
  return cipher.seal(Buffer.from(JSON.stringify(posts), 'utf8'), outboundContext(runId, stepId));
}

export async function openOutboundPosts(cipher: CredentialCipher, runId: string, stepId: string, sealed: SealedSecret): Promise<OutboundPost[]> {
  const plaintext = await cipher.open(sealed, outboundContext(runId, stepId));
  try {
    return OutboundPosts.parse(JSON.parse(plaintext.toString('utf8')));
  } finally {
    plaintext.fill(0);
  }
}
