import * as z from 'zod';
import { isDnsLabel } from '../../lib/core/application/dns-name.ts';
import type { CredentialCipher } from '../../lib/engine/ports/credential-cipher.ts';
import type { ChatIntegrationRecord } from '../../lib/core/chatops/chat-integration-record.ts';
import type { ChatIntegrationStore } from '../../lib/engine/ports/store.ts';
import { ConflictError } from '../../lib/engine/ports/conflict-error.ts';
import type { Principal } from '../../lib/core/token/authorization.ts';
import { SlackSettings } from '../../contract/chatops-schemas.ts';

/** Bound as the encryption context of the sealed signing secret (and, on AWS, the KMS grant's condition). */
export const chatSecretPurpose = 'flotilla/chat-signing-secret';
const context = { purpose: chatSecretPurpose, system: 'slack' };

/** Stores (or replaces) the Slack integration; the signing secret is sealed first. */
export async function configureSlack(store: ChatIntegrationStore, cipher: CredentialCipher, settings: SlackSettings, now: Date): Promise<ChatIntegrationRecord> {
  const signingSecret = await cipher.seal(Buffer.from(settings.signingSecret, 'utf8'), context);
  for (;;) {
    const existing = await store.get('slack');
    const record: ChatIntegrationRecord = {
      system: 'slack',
      signingSecret,
      namespaces: settings.namespaces,
      ...(settings.approvers.length > 0 ? { approvers: settings.approvers } : {}),
      createdAt: existing?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
    try {
      return existing === undefined ? await store.create(record) : await store.replace(record, existing.version);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // someone configured it meanwhile: read again
    }
  }
}

export function openSigningSecret(cipher: CredentialCipher, record: ChatIntegrationRecord): Promise<Buffer> {
  return cipher.open(record.signingSecret, context);
}

/** Chat users act as a viewer: they read, within the integration's namespaces, and change nothing. */
export function chatPrincipal(record: ChatIntegrationRecord): Principal {
  return { tokenId: 'slack', role: 'viewer', namespaces: record.namespaces };
}
