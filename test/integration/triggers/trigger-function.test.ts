// The trigger function (functions/triggers.ts) as the stack runs it: consuming the CI-event inbox through an SQS event
// source mapping with Lambda's semantics, on moto. EventBridge's rules put ECR pushes there (here: SendMessage with the
// event as the body, as an SQS rule target does); the API, with CI_EVENTS_QUEUE_URL set as on AWS, puts the slash
// commands there whose reply missed Slack's budget, and the function posts the reply to the response_url.
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SlackMessageBody } from '../../../contract/chatops-schemas.ts';
import { TriggerView } from '../../../contract/trigger-schemas.ts';
import { createAwsClients } from '../../../lib/adapters/aws/clients.ts';
import { slackSignature } from '../../../integrations/chatops/slack-signature.ts';
import { signTimestamped } from '../../../integrations/webhooks/signature.ts';
import { startEventSource, type EventSource, type SqsHandler } from '../../../local/event-source.ts';
import { createQueue } from '../aws/backends.ts';
import { call, drainQueue, startApiServer, type ApiServer } from '../api/api-server.ts';
import { eventually } from '../api/runtime-api.ts';
import { pointFunctionsAtMoto } from '../moto-environment.ts';
import { currentDocument, imageOf, newSecret, sample, startResponseUrlServer, twoComponentApp, type ResponseUrlServer, joinAppCluster } from './trigger-harness.ts';

const namespace = `inbox-${Date.now().toString(36)}`;
const signingSecret = newSecret().slice(0, 32);
let server: ApiServer;
let responseUrl: ResponseUrlServer;
let inboxUrl = '';
let source: EventSource;
const failures: unknown[] = [];

/** Waits until every message sent to the inbox has been handled and deleted (none waiting, none in flight). */
async function inboxDrained(): Promise<void> {
  await eventually('the inbox to empty', async () => {
    const { Attributes: attributes = {} } = await server.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: inboxUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return attributes.ApproximateNumberOfMessages === '0' && attributes.ApproximateNumberOfMessagesNotVisible === '0' ? true : undefined;
  }, 30_000);
}

beforeAll(async () => {
  responseUrl = await startResponseUrlServer();
  const endpoint = pointFunctionsAtMoto();
  const bootstrap = createAwsClients({ region: 'us-east-1', dynamodbEndpoint: endpoint, sqsEndpoint: endpoint, kmsEndpoint: endpoint });
  inboxUrl = (await createQueue(bootstrap.sqs, 'flotilla-ci-events', { attributes: { VisibilityTimeout: '5' } })).url;
  bootstrap.sqs.destroy();
  Object.assign(process.env, { CI_EVENTS_QUEUE_URL: inboxUrl, SLACK_INLINE_BUDGET_MS: '0', SLACK_RESPONSE_URL_ORIGINS: responseUrl.origin });
  server = await startApiServer({ credentials: 'key-file' });
  await joinAppCluster(server);
  const { handler } = await import('../../../functions/triggers.ts');
  source = startEventSource({ sqs: server.clients.sqs, queueUrl: inboxUrl, handler: handler as unknown as SqsHandler, functionName: 'triggers', onError: (err) => failures.push(err) });
  expect((await call(server, 'POST', '/applications', { token: server.adminToken, body: twoComponentApp(namespace) })).status).toBe(202);
});
afterAll(async () => {
  await source?.stop();
  await server?.close();
  await responseUrl?.close();
});

describe('the trigger function', () => {
  it('publishes a revision for an ECR push that reaches the inbox, once however often the event is delivered', async () => {
    const created = await call(server, 'POST', `/namespaces/${namespace}/applications/shop/triggers`, {
      token: server.adminToken,
      body: { source: 'eventbridge', component: 'api', events: [{ on: 'image', repositories: ['shop-api'], tags: ['v*'] }] },
    });
    expect(created.status, created.text).toBe(201);
    expect(TriggerView.parse(created.json).webhookUrl).toBeUndefined();
    await drainQueue(server.clients.sqs, server.plannerQueueUrl);

    const event = sample('eventbridge/ecr-image-push.json');
    event.id = crypto.randomUUID();
    event.detail['repository-name'] = 'shop-api';
    event.detail['image-tag'] = 'v2.0.1';
    for (let copy = 0; copy < 2; copy++) await server.clients.sqs.send(new SendMessageCommand({ QueueUrl: inboxUrl, MessageBody: JSON.stringify(event) }));
    const image = '123456789012.dkr.ecr.us-west-2.amazonaws.com/shop-api:v2.0.1';
    const detail = await eventually('the pushed image to be deployed', async () => {
      const current = await currentDocument(server, server.adminToken, namespace, 'shop');
      return imageOf(current, 'api') === image ? current : undefined;
    }, 30_000);
    expect(detail.revision).toBe('shop-v2');
    // Both copies handled (the second as a duplicate): the inbox is empty and one run was queued.
    await inboxDrained();
    const runs = (await drainQueue(server.clients.sqs, server.plannerQueueUrl)).filter((message: any) => message.kind === 'run');
    expect(runs).toEqual([expect.objectContaining({ namespace, name: 'shop', revision: 2 })]);
    expect(await server.store.applications.listRevisions(namespace, 'shop')).toHaveLength(2);

    const untagged = sample('eventbridge/ecr-image-push.json');
    untagged.id = crypto.randomUUID();
    untagged.detail['repository-name'] = 'shop-api';
    untagged.detail['image-tag'] = 'latest';
    await server.clients.sqs.send(new SendMessageCommand({ QueueUrl: inboxUrl, MessageBody: JSON.stringify(untagged) }));
    await inboxDrained();
    expect(await server.store.applications.listRevisions(namespace, 'shop')).toHaveLength(2);
    expect(failures).toEqual([]);
  });

  it('answers a slash command the API handed over, on its response_url', async () => {
    expect((await call(server, 'POST', '/chatops/slack/settings', { token: server.adminToken, body: { signingSecret, namespaces: [namespace] } })).status).toBe(200);
    const body = new URLSearchParams({
      team_id: 'T1DC2JH3J',
      user_id: 'U2CERLKJA',
      command: '/flotilla',
      text: `status shop -n ${namespace}`,
      response_url: responseUrl.url,
      trigger_id: `${Date.now()}.1.${newSecret().slice(0, 8)}`,
    }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const ack = await call(server, 'POST', '/chatops/slack', {
      body,
      contentType: 'application/x-www-form-urlencoded',
      headers: { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signTimestamped(slackSignature, Buffer.from(signingSecret), timestamp, body) },
    });
    expect(ack.status, ack.text).toBe(200);
    expect(SlackMessageBody.parse(ack.json).text).toMatch(/^Working on \/flotilla status shop/);
    const reply = SlackMessageBody.parse((await responseUrl.nextPost(30_000)).body);
    expect(reply.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'shop: rendering' } });
    expect(reply.text).toBe(`shop (${namespace}): rendering\nclusters: none yet\n`);
    expect(failures).toEqual([]);
  });
});
