import { routeEventBridgeEvent } from '../../integrations/triggers/route-event.ts';
import type { WebhookSource } from '../../lib/core/trigger/trigger-rule.ts';
import { receiveWebhook } from '../../integrations/webhooks/receive-webhook.ts';
import { ApiError } from '../api-error.ts';
import type { ApiRequest } from '../api-request.ts';
import { schemaResponse } from '../api-response.ts';
import { mayAccess } from '../authentication.ts';
import { jsonBody } from '../request-body.ts';
import { statusUrl } from '../resource-urls.ts';
import { defineRoute } from '../route.ts';
import { DeliveryResult, EventBridgeEvent, EventBridgeResult, HookPath } from '../../contract/trigger-schemas.ts';

/** A signed route reads its raw body itself (the signature covers the bytes), so it enforces the size limit itself. */
export function rawBody(request: ApiRequest, maxBodyBytes: number): Buffer {
  const body = request.body ?? Buffer.alloc(0);
  if (body.length > maxBodyBytes) throw new ApiError('payload_too_large', `the request body is ${body.length} bytes; the limit is ${maxBodyBytes} bytes`);
  return body;
}

const providers: Record<WebhookSource, { name: string; how: string }> = {
  github: {
    name: 'GitHub',
    how: 'Verifies X-Hub-Signature-256 (HMAC-SHA256 of the body under the trigger secret). Acts on push (branches and tags), package / registry_package published and workflow_run completed with success; ping and other events answer 200 ignored. X-GitHub-Delivery is processed once.',
  },
  gitlab: {
    name: 'GitLab',
    how: 'Verifies X-Gitlab-Token (the trigger secret). Acts on Push Hook, Tag Push Hook and Pipeline Hook with status success. Idempotency-Key (or X-Gitlab-Event-UUID) is processed once.',
  },
  generic: {
    name: 'any CI',
    how: 'Verifies X-Flotilla-Signature: sha256=<hex HMAC-SHA256 of "<X-Flotilla-Timestamp>.<body>">, within five minutes of the server clock; a signature is accepted once. The body is {"event": "push"|"tag"|"image", ...}; X-Flotilla-Delivery (or the signature) is processed once.',
  },
};

function hookRoute(source: WebhookSource) {
  const { name, how } = providers[source];
  return defineRoute({
    method: 'POST',
    path: `/hooks/${source}/{triggerId}`,
    operationId: `${source}Webhook`,
    summary: `Webhook for ${name}`,
    description: `${how} A matching event publishes a revision with the component's image and answers 202; anything else answers 200 with the outcome and why. No bearer token: the signature authenticates, and a request that does not verify answers 401 and stores nothing.`,
    tag: 'triggers',
    access: { public: true, signature: source },
    params: HookPath,
    responses: {
      202: { description: 'A revision with the new image was published and its workflow queued.', schema: DeliveryResult },
      200: { description: 'Nothing deployed: ignored (with the reason), unchanged or a duplicate delivery.', schema: DeliveryResult },
    },
    handle: async ({ params, request }, deps) => {
      const body = rawBody(request, deps.maxBodyBytes);
      const received = await receiveWebhook(deps, source, params.triggerId, { headers: request.headers, body });
      if (received.kind === 'unknown-trigger') {
        deps.telemetry.count('WebhookDeliveries', { source, outcome: 'unknown-trigger' });
        throw new ApiError('trigger_not_found', received.message);
      }
      if (received.kind === 'unauthenticated') {
        deps.telemetry.count('WebhookDeliveries', { source, outcome: 'refused' });
        deps.log('warn', 'webhook refused', { trigger: params.triggerId, source, reason: received.reason, requestId: request.requestId });
        throw new ApiError('unauthenticated', received.reason);
      }
      const { trigger, deliveryId, outcome } = received;
      const status = statusUrl(request, trigger.namespace, trigger.application);
      deps.telemetry.count('WebhookDeliveries', { source, outcome: outcome.outcome });
      deps.log('info', 'webhook delivery', { trigger: trigger.id, source, delivery: deliveryId, outcome: outcome.outcome, requestId: request.requestId });
      const answer = { trigger: trigger.id, delivery: deliveryId, namespace: trigger.namespace, application: trigger.application, status, ...outcome };
      return outcome.outcome === 'deployed' ? schemaResponse(202, DeliveryResult, answer, { location: status }) : schemaResponse(200, DeliveryResult, answer);
    },
  });
}

const eventBridgeRoute = defineRoute({
  method: 'POST',
  path: '/events/eventbridge',
  operationId: 'postEventBridgeEvent',
  summary: 'Hand an EventBridge event to the EventBridge triggers',
  description:
    "What the stack's EventBridge rules deliver to the trigger function (ECR Image Action PUSH, CodePipeline and CodeBuild SUCCEEDED), posted by hand: for the local runtime, or to replay an event. Only the triggers in namespaces the token may deploy to are considered; each processes the event id once.",
  tag: 'triggers',
  access: { action: 'applications:write' },
  body: jsonBody(EventBridgeEvent),
  responses: {
    202: { description: 'At least one trigger published a revision.', schema: EventBridgeResult },
    200: { description: 'No trigger published anything; the results say why.', schema: EventBridgeResult },
  },
  handle: async ({ body, principal }, deps) => {
    const routed = await routeEventBridgeEvent(deps, body, (trigger) => mayAccess(principal, 'applications:write', trigger.namespace));
    const deployed = routed.results.some((result) => result.outcome === 'deployed');
    return schemaResponse(deployed ? 202 : 200, EventBridgeResult, routed);
  },
});

export const hookRoutes = [hookRoute('github'), hookRoute('gitlab'), hookRoute('generic'), eventBridgeRoute];
