import { summarizeStatus, renderSummaryText } from '../../integrations/chatops/chat-summary.ts';
import { receiveSlashCommand } from '../../integrations/chatops/receive-slash-command.ts';
import { receiveInteraction } from '../../integrations/chatops/receive-interaction.ts';
import { configureSlack } from '../../integrations/chatops/slack-integration.ts';
import { loadStatus } from '../../lib/engine/status/load-status.ts';
import { ApiError } from '../api-error.ts';
import { headerOf } from '../api-request.ts';
import { jsonResponse, schemaResponse, textResponse } from '../api-response.ts';
import { applicationNotFound } from '../application-lookup.ts';
import { preferredMediaType } from '../content-negotiation.ts';
import { jsonBody } from '../request-body.ts';
import { defineRoute } from '../route.ts';
import { BotStatus, SlackInteractionAnswer, SlackMessageBody, SlackSettingsRequest, SlackSettingsView } from '../../contract/chatops-schemas.ts';
import { ApplicationPath } from '../../contract/parameters.ts';
import { rawBody } from './hook-routes.ts';

const slashCommand = defineRoute({
  method: 'POST',
  path: '/chatops/slack',
  operationId: 'slackSlashCommand',
  summary: 'Slack slash command: /flotilla status APP [-n NS], /flotilla ls',
  description:
    "Slack posts the command form-encoded. Verifies X-Slack-Signature (v0) under the stored signing secret, within five minutes of X-Slack-Request-Timestamp, each signature once; anything else answers 401 and stores nothing. Answers within Slack's three seconds: the Block Kit reply (health per cluster, the workflow's steps) when it is ready in time, otherwise an acknowledgement, with the reply posted to the response_url. Slack users read as a viewer limited to the integration's namespaces.",
  tag: 'chatops',
  access: { public: true, signature: 'slack' },
  responses: { 200: { description: 'The reply, or the acknowledgement of a reply to follow.', schema: SlackMessageBody } },
  handle: async ({ request }, deps) => {
    const body = rawBody(request, deps.maxBodyBytes);
    const received = await receiveSlashCommand(deps, { headers: request.headers, body });
    if (received.kind === 'unauthenticated') {
      deps.log('warn', 'slack request refused', { reason: received.reason, requestId: request.requestId });
      throw new ApiError('unauthenticated', received.reason);
    }
    return jsonResponse(200, received.message);
  },
});

const slackInteraction = defineRoute({
  method: 'POST',
  path: '/chatops/slack/interactions',
  operationId: 'slackInteraction',
  summary: "Slack button presses: Approve / Stop on a suspended run's message (resume / terminate)",
  description:
    "Slack posts the block_actions payload form-encoded. Verifies X-Slack-Signature as for slash commands (401 otherwise, nothing done); the Slack user must be one of the integration's approvers for the run's namespace, and the run still the application's latest. Answers with an ephemeral message saying what was done or why not.",
  tag: 'chatops',
  access: { public: true, signature: 'slack' },
  responses: { 200: { description: 'What was done, for the user who pressed.', schema: SlackInteractionAnswer } },
  handle: async ({ request }, deps) => {
    const body = rawBody(request, deps.maxBodyBytes);
    const received = await receiveInteraction(deps, { headers: request.headers, body });
    if (received.kind === 'unauthenticated') {
      deps.log('warn', 'slack request refused', { reason: received.reason, requestId: request.requestId });
      throw new ApiError('unauthenticated', received.reason);
    }
    deps.log('info', 'slack interaction', { outcome: received.text });
    return schemaResponse(200, SlackInteractionAnswer, { response_type: 'ephemeral', replace_original: false, text: received.text });
  },
});

const slackSettingsView = (record: { namespaces: string[]; approvers?: { user: string; namespaces: string[] }[] | undefined; createdAt: string; updatedAt: string } | undefined) =>
  record === undefined
    ? { configured: false }
    : { configured: true, namespaces: record.namespaces, ...(record.approvers ? { approvers: record.approvers } : {}), createdAt: record.createdAt, updatedAt: record.updatedAt };

const getSlackSettings = defineRoute({
  method: 'GET',
  path: '/chatops/slack/settings',
  operationId: 'getSlackSettings',
  summary: 'Whether Slack is set up, and what it may read',
  tag: 'chatops',
  access: { action: 'tokens:read' },
  responses: { 200: { description: 'Never the signing secret.', schema: SlackSettingsView } },
  handle: async (_input, deps) => schemaResponse(200, SlackSettingsView, slackSettingsView(await deps.store.chatIntegrations.get('slack'))),
});

const setSlackSettings = defineRoute({
  method: 'POST',
  path: '/chatops/slack/settings',
  operationId: 'setSlackSettings',
  summary: "Set up Slack: the app's signing secret, and the namespaces Slack users may read",
  description: 'Like creating a viewer token for the Slack app, hence admin only. The signing secret is sealed before it is stored and never shown again; posting again replaces it.',
  tag: 'chatops',
  access: { action: 'tokens:write' },
  body: jsonBody(SlackSettingsRequest),
  responses: { 200: { description: 'The integration, without its secret.', schema: SlackSettingsView } },
  handle: async ({ body }, deps) => {
    const record = await configureSlack(deps.store.chatIntegrations, deps.cipher, body, deps.now());
    deps.log('info', 'slack integration configured', { namespaces: record.namespaces });
    return schemaResponse(200, SlackSettingsView, slackSettingsView(record));
  },
});

const removeSlackSettings = defineRoute({
  method: 'DELETE',
  path: '/chatops/slack/settings',
  operationId: 'removeSlackSettings',
  summary: 'Turn Slack off: slash commands answer 401 from then on',
  tag: 'chatops',
  access: { action: 'tokens:write' },
  responses: { 200: { description: 'Not configured any more.', schema: SlackSettingsView } },
  handle: async (_input, deps) => {
    const record = await deps.store.chatIntegrations.get('slack');
    if (record !== undefined) await deps.store.chatIntegrations.remove(record, record.version);
    return schemaResponse(200, SlackSettingsView, slackSettingsView(undefined));
  },
});

const statusTypes = ['application/json', 'text/plain'] as const;

const botStatus = defineRoute({
  method: 'GET',
  path: '/chatops/namespaces/{namespace}/applications/{name}/status',
  operationId: 'botStatus',
  summary: 'Status for chat bots: health per cluster and the workflow steps, as JSON or plain text',
  description:
    'What the Slack reply shows, for other bots (Teams, Mattermost, Discord, scripts): JSON by default, one line per cluster and step with Accept: text/plain. Takes viewer tokens only: a bot reads, and a token that could do more is refused (403) rather than left lying in a chat integration.',
  tag: 'chatops',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'The summary.', schema: BotStatus, alternatives: ['text/plain'] } },
  handle: async ({ params, principal, request }, deps) => {
    if (principal?.role !== 'viewer') {
      throw new ApiError('forbidden', `chatops endpoints take viewer tokens only, not ${principal?.role ?? 'none'}: create one with POST /tokens {"role": "viewer"} for the bot`);
    }
    const status = await loadStatus(deps.store, params.namespace, params.name, deps.prices);
    if (status === undefined) throw applicationNotFound(params.namespace, params.name);
    const summary = summarizeStatus(status);
    if (preferredMediaType(headerOf(request, 'accept'), statusTypes) === 'text/plain') return textResponse(200, renderSummaryText(summary), 'text/plain; charset=utf-8');
    return schemaResponse(200, BotStatus, summary);
  },
});

export const chatopsRoutes = [slashCommand, slackInteraction, getSlackSettings, setSlackSettings, removeSlackSettings, botStatus];
