import type { ChatIntegrationRecord } from '../../lib/core/chatops/chat-integration-record.ts';
import type { CredentialCipher } from '../../lib/engine/ports/credential-cipher.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import { timestampedSignatureOf, verifyTimestamped } from '../webhooks/signature.ts';
import type { WebhookRequest } from '../webhooks/webhook-request.ts';
import { openSigningSecret } from './slack-integration.ts';
import { slackSignature } from './slack-signature.ts';

export type SlackVerification = { ok: true; integration: ChatIntegrationRecord } | { ok: false; reason: string };

/**
 * Every request from Slack (slash commands, button presses): the v0 signature checked with the stored signing secret
 * within its five-minute window, and each signature accepted once, so a captured request cannot be replayed.
 */
export async function verifySlackRequest(deps: { store: Pick<Store, 'chatIntegrations' | 'deliveries'>; cipher: CredentialCipher; now(): Date }, request: WebhookRequest): Promise<SlackVerification> {
  const integration = await deps.store.chatIntegrations.get('slack');
  if (integration === undefined) return { ok: false, reason: 'no Slack integration is configured: PUT /chatops/slack/settings with the signing secret' };
  const secret = await openSigningSecret(deps.cipher, integration);
  let verified;
  try {
    verified = verifyTimestamped(slackSignature, secret, request, deps.now());
  } finally {
    secret.fill(0);
  }
  if (!verified.ok) return { ok: false, reason: verified.reason };
  const signature = timestampedSignatureOf(slackSignature, request.headers) ?? '';
  const expiresAt = new Date(deps.now().getTime() + 2 * slackSignature.windowSeconds * 1000);
  if (!(await deps.store.deliveries.rememberSignature('slack', signature, deps.now(), expiresAt))) {
    return { ok: false, reason: 'this signature was used before: a replayed request' };
  }
  return { ok: true, integration };
}
