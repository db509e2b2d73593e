import { notificationTargetContext, type NotificationTargetRecord } from '../../lib/core/notify/notification-target.ts';
import { ConflictError } from '../../lib/engine/ports/conflict-error.ts';
import { retryOnConflict } from '../../lib/engine/retry.ts';
import { applicationSecretsPurpose } from '../../lib/engine/secrets/application-secrets.ts';
import { ApiError } from '../api-error.ts';
import { schemaResponse } from '../api-response.ts';
import { requireApplication } from '../application-lookup.ts';
import { jsonBody } from '../request-body.ts';
import { defineRoute } from '../route.ts';
import { ApplicationPath } from '../../contract/parameters.ts';
import { NotificationTargetView, SetNotificationTargetRequest } from '../../contract/notification-schemas.ts';

const path = '/namespaces/{namespace}/applications/{name}/notification';

function viewOf(record: NotificationTargetRecord): NotificationTargetView {
  const { namespace, application, channel, host, lastDelivery, createdAt, updatedAt } = record;
  return { namespace, application, channel, host, signed: record.secret !== undefined, ...(lastDelivery ? { lastDelivery } : {}), createdAt, updatedAt };
}

const notFound = (namespace: string, name: string) => new ApiError('not_found', `application ${namespace}/${name} has no notification target`);

const setTarget = defineRoute({
  method: 'POST',
  path,
  operationId: 'setNotificationTarget',
  summary: "Post the application's run events to Slack or a signed webhook (flotilla notify set)",
  description:
    'Every run and step transition of the application is posted there by the applier, under the cluster endpoints\' egress rules. The URL and the HMAC key are stored sealed and never shown again; answers show the host.',
  tag: 'applications',
  access: { action: 'applications:write', namespaceParam: 'namespace' },
  params: ApplicationPath,
  body: jsonBody(SetNotificationTargetRequest),
  responses: { 200: { description: 'The target, without its URL and key.', schema: NotificationTargetView } },
  handle: async ({ params, body }, deps) => {
    await requireApplication(deps.store.applications, params.namespace, params.name);
    const context = notificationTargetContext(applicationSecretsPurpose, params.namespace, params.name);
    const url = 'slack' in body ? body.slack : body.webhook;
    const secret = 'webhook' in body ? body.secret : undefined;
    const sealedUrl = await deps.cipher.seal(Buffer.from(url, 'utf8'), context);
    const sealedSecret = secret === undefined ? undefined : await deps.cipher.seal(Buffer.from(secret, 'utf8'), context);
    const at = deps.now().toISOString();
    const fields = { channel: 'slack' in body ? ('slack' as const) : ('webhook' as const), host: new URL(url).host, url: sealedUrl, ...(sealedSecret ? { secret: sealedSecret } : {}), updatedAt: at };
    const written = await retryOnConflict(async () => {
      const current = await deps.store.notificationTargets.get(params.namespace, params.name);
      if (current === undefined) {
        try {
          return await deps.store.notificationTargets.create({ namespace: params.namespace, application: params.name, ...fields, createdAt: at, version: 1 });
        } catch (error) {
          // Set concurrently: the retry replaces it.
          if (error instanceof ConflictError) throw new ConflictError('notification target', `${params.namespace}/${params.name}`, 'changed');
          throw error;
        }
      }
      const { secret: _old, lastDelivery: _last, ...kept } = current;
      return deps.store.notificationTargets.replace({ ...kept, ...fields }, current.version);
    });
    deps.log('info', 'notification target set', { namespace: params.namespace, application: params.name, channel: written.channel, host: written.host });
    return schemaResponse(200, NotificationTargetView, viewOf(written));
  },
});

const getTarget = defineRoute({
  method: 'GET',
  path,
  operationId: 'getNotificationTarget',
  summary: "The application's notification target and its latest delivery (flotilla notify get)",
  tag: 'applications',
  access: { action: 'applications:read', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'The target, without its URL and key.', schema: NotificationTargetView } },
  handle: async ({ params }, deps) => {
    const record = await deps.store.notificationTargets.get(params.namespace, params.name);
    if (record === undefined) throw notFound(params.namespace, params.name);
    return schemaResponse(200, NotificationTargetView, viewOf(record));
  },
});

const removeTarget = defineRoute({
  method: 'DELETE',
  path,
  operationId: 'removeNotificationTarget',
  summary: 'Stop posting the application\'s run events (flotilla notify rm)',
  tag: 'applications',
  access: { action: 'applications:write', namespaceParam: 'namespace' },
  params: ApplicationPath,
  responses: { 200: { description: 'The removed target.', schema: NotificationTargetView } },
  handle: async ({ params }, deps) => {
    const removed = await retryOnConflict(async () => {
      const record = await deps.store.notificationTargets.get(params.namespace, params.name);
      if (record === undefined) throw notFound(params.namespace, params.name);
      await deps.store.notificationTargets.remove(record, record.version);
      return record;
    });
    deps.log('info', 'notification target removed', { namespace: params.namespace, application: params.name });
    return schemaResponse(200, NotificationTargetView, viewOf(removed));
  },
});

export const notificationRoutes = [setTarget, getTarget, removeTarget];
