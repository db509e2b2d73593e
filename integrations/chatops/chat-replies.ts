import { runningRevision } from '../../lib/engine/status/running-revision.ts';
import { loadStatus } from '../../lib/engine/status/load-status.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import type { Prices } from '../../lib/core/cost/prices.ts';
import { authorize, type Principal } from '../../lib/core/token/authorization.ts';
import { summarizeStatus } from './chat-summary.ts';
import { helpMessage, listMessage, noticeMessage, statusMessage, type SlackMessage } from './slack-blocks.ts';
import type { ChatRequest } from './slash-command.ts';

/**
 * The answer to a chat request, for a principal that may only read (a chat integration is a viewer): the status as
 * Block Kit, the list of applications, or help. Refusals are answers too, worded like the API's 403 and 404.
 */
export async function answerChatRequest(store: Store, principal: Principal, command: string, request: ChatRequest, prices?: Prices): Promise<SlackMessage> {
  switch (request.kind) {
    case 'help':
      return helpMessage(command, request.problem);
    case 'ls': {
      if (request.namespace !== undefined) {
        const decision = authorize(principal, 'applications:read', request.namespace);
        if (!decision.allowed) return noticeMessage(`Not allowed: ${decision.reason}.`);
      }
      const records = request.namespace === undefined ? await store.applications.listAll() : await store.applications.list(request.namespace);
      const visible = records.filter((record) => authorize(principal, 'applications:read', record.namespace).allowed);
      return listMessage(
        await Promise.all(
          visible.map(async (record) => ({ namespace: record.namespace, name: record.name, revision: (await runningRevision(store, record)).revisionName, deleting: record.deleting })),
        ),
        request.namespace,
      );
    }
    case 'status': {
      const decision = authorize(principal, 'applications:read', request.namespace);
      if (!decision.allowed) return noticeMessage(`Not allowed: ${decision.reason}.`);
      const status = await loadStatus(store, request.namespace, request.application, prices);
      if (status === undefined) return noticeMessage(`No application ${request.application} in namespace ${request.namespace}.`);
      return statusMessage(summarizeStatus(status));
    }
  }
}
