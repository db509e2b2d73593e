import * as z from 'zod';
import type { ChatIntegrationRecord } from '../../lib/core/chatops/chat-integration-record.ts';
import { approveActionId, stopActionId } from '../../lib/core/notify/event-messages.ts';
import type { Engine } from '../../lib/engine/context.ts';
import { requestOperation, WorkflowOperationError } from '../../lib/engine/planner/workflow-operations.ts';
import type { WebhookRequest } from '../webhooks/webhook-request.ts';
import { verifySlackRequest } from './verify-slack-request.ts';

/** The part of Slack's block_actions payload a button press needs (api.slack.com/reference/interaction-payloads). */
const BlockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string() })).min(1),
});

const ButtonValue = z.object({ namespace: z.string().min(1), application: z.string().min(1), runId: z.string().min(1) });

export type InteractionResult = { kind: 'unauthenticated'; reason: string } | { kind: 'answer'; text: string };

/**
 * `POST /chatops/slack/interactions`: an Approve or Stop press on a suspended run's message. Slack's signature is
 * verified as for slash commands (five minutes, each signature once); the user must be an approver for the run's
 * namespace (the integration's `approvers`), and the run must still be the application's latest; then the press
 * is `workflow resume` or `terminate`, checked and queued to the planner as the API does.
 */
export async function receiveInteraction(deps: { store: Engine['store']; cipher: Engine['cipher']; engine: Engine; now(): Date }, request: WebhookRequest): Promise<InteractionResult> {
  const verified = await verifySlackRequest(deps, request);
  if (!verified.ok) return { kind: 'unauthenticated', reason: verified.reason };
  const { integration } = verified;
  const payload = BlockActions.safeParse(parsePayload(request.body));
  if (!payload.success) return { kind: 'answer', text: 'Flotilla did not understand this action.' };
  const action = payload.data.actions[0]!;
  const operation = action.action_id === approveActionId ? 'resume' : action.action_id === stopActionId ? 'terminate' : undefined;
  const value = ButtonValue.safeParse(safeJson(action.value));
  if (operation === undefined || !value.success) return { kind: 'answer', text: 'Flotilla did not understand this action.' };
  const { namespace, application, runId } = value.data;
  const user = payload.data.user.id;
  if (!mayApprove(integration, user, namespace)) return { kind: 'answer', text: `<@${user}> may not approve or stop runs in namespace ${namespace}.` };
  const latest = (await deps.store.runs.listForApplication(namespace, application))[0];
  if (latest?.runId !== runId) return { kind: 'answer', text: `This run of ${namespace}/${application} is no longer the latest; nothing was done.` };
  try {
    await requestOperation(deps.engine, { namespace, name: application }, operation);
  } catch (error) {
    if (error instanceof WorkflowOperationError) return { kind: 'answer', text: error.message };
    throw error;
  }
  return { kind: 'answer', text: `${operation === 'resume' ? 'Approved' : 'Stopped'} by <@${user}>: ${namespace}/${application} ${operation === 'resume' ? 'resumes' : 'is terminated'}.` };
}

function mayApprove(integration: ChatIntegrationRecord, user: string, namespace: string): boolean {
  return (integration.approvers ?? []).some((approver) => approver.user === user && approver.namespaces.includes(namespace));
}

/** Slack posts `payload=<JSON>` form-encoded. */
function parsePayload(body: Buffer): unknown {
  return safeJson(new URLSearchParams(body.toString('utf8')).get('payload') ?? '');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
