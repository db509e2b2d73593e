import type { TriggerRecord } from '../../lib/core/trigger/trigger-record.ts';
import { isWebhookSource } from '../../lib/core/trigger/trigger-rule.ts';
import { createTrigger, listTriggers, removeTrigger } from '../../integrations/triggers/triggers.ts';
import type { ApiRequest } from '../api-request.ts';
import { schemaResponse } from '../api-response.ts';
import { requireApplication } from '../application-lookup.ts';
import { mayAccess, requireAllowed } from '../authentication.ts';
import { jsonBody } from '../request-body.ts';
import { defineRoute } from '../route.ts';
import { ApplicationPath } from '../../contract/parameters.ts';
import { CreateTriggerRequest, ListTriggersQuery, TriggerList, TriggerPath, TriggerView } from '../../contract/trigger-schemas.ts';

/** The trigger without its secret, with the URL its provider posts to. */
export function viewOfTrigger(trigger: TriggerRecord, request: ApiRequest) {
  const { secret: _secret, version: _version, ...view } = trigger;
  return { ...view, ...(isWebhookSource(trigger.source) ? { webhookUrl: `${request.baseUrl}/hooks/${trigger.source}/${trigger.id}` } : {}) };
}

function triggerListAnswer(triggers: readonly TriggerRecord[], request: ApiRequest) {
  return schemaResponse(200, TriggerList, { triggers: triggers.map((trigger) => viewOfTrigger(trigger, request)) });
}

const createTriggerRoute = defineRoute({
  method: 'POST',
  path: '/namespaces/{namespace}/applications/{name}/triggers',
  operationId: 'createTrigger',
  summary: 'Add a CI trigger to an application (flotilla trigger add)',
  description:
    "Which source (github, gitlab, generic webhook, eventbridge), which events (push, tag, package, workflow, pipeline, image, codepipeline, codebuild, with filters), which component, and how to form its image (ghcr.io/org/app:${sha}). Webhook triggers take the provider's secret, stored sealed and never shown again; the answer carries the webhook URL.",
  tag: 'triggers',
  access: { action: 'applications:write', namespaceParam: 'namespace' },
  params: ApplicationPath,
  body: jsonBody(CreateTriggerRequest),
  responses: { 201: { description: 'The trigger.', schema: TriggerView } },
  handle: async ({ params, body, request }, deps) => {
    await requireApplication(deps.store.applications, params.namespace, params.name);
    const trigger = await createTrigger(deps, { namespace: params.namespace, application: params.name }, body);
    deps.log('info', 'trigger created', { trigger: trigger.id, namespace: trigger.namespace, application: trigger.application, source: trigger.source });
    return schemaResponse(201, TriggerView, viewOfTrigger(trigger, request));
  },
});

const listApplicationTriggers = defineRoute({
  method: 'GET',
  path: '/namespaces/{namespace}/applications/{name}/triggers',
  operationId: 'listApplicationTriggers',
  summary: "An application's triggers (flotilla trigger list)",
  tag: 'triggers',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'Oldest first.', schema: TriggerList } },
  handle: async ({ params, request }, deps) => triggerListAnswer(await listTriggers(deps.store, { namespace: params.namespace, application: params.name }), request),
});

const listAllTriggers = defineRoute({
  method: 'GET',
  path: '/triggers',
  operationId: 'listTriggers',
  summary: 'Every trigger the token may read',
  tag: 'triggers',
  access: { action: 'applications:read' },
  query: ListTriggersQuery,
  responses: { 200: { description: 'Oldest first.', schema: TriggerList } },
  handle: async ({ query, principal, request }, deps) => {
    if (query.namespace !== undefined) requireAllowed(principal, 'applications:read', query.namespace);
    const triggers = await listTriggers(deps.store, { namespace: query.namespace });
    return triggerListAnswer(triggers.filter((trigger) => mayAccess(principal, 'applications:read', trigger.namespace)), request);
  },
});

const deleteTriggerRoute = defineRoute({
  method: 'DELETE',
  path: '/namespaces/{namespace}/applications/{name}/triggers/{id}',
  operationId: 'deleteTrigger',
  summary: 'Remove a trigger (flotilla trigger rm)',
  description: 'Its webhook answers 404 from then on.',
  tag: 'triggers',
  access: { action: 'applications:write', namespaceParam: 'namespace' },
  params: TriggerPath,
  responses: { 200: { description: 'The removed trigger.', schema: TriggerView } },
  handle: async ({ params, request }, deps) => {
    const removed = await removeTrigger(deps.store, { namespace: params.namespace, application: params.name }, params.id);
    deps.log('info', 'trigger removed', { trigger: removed.id, namespace: removed.namespace, application: removed.application });
    return schemaResponse(200, TriggerView, viewOfTrigger(removed, request));
  },
});

export const triggerRoutes = [createTriggerRoute, listApplicationTriggers, listAllTriggers, deleteTriggerRoute];
