// Run and step transitions reach EventBridge (moto's) with the documented source, detail-type and detail, routed by
// a rule to an SQS queue as a user would wire them; status shows them as history.
import { readFile } from 'node:fs/promises';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RunEventDetail, runEventDetailType, runEventSource } from '../../../contract/run-event-schemas.ts';
import { requestOperation } from '../../../lib/engine/planner/workflow-operations.ts';
import { renderStatusText } from '../../../lib/core/status/render-status-text.ts';
import { startEngineHarness, type EngineHarness } from './engine-harness.ts';

const suffix = Date.now().toString(36);
const namespace = `events-${suffix}`;
const ruleName = `flotilla-events-${suffix}`;
let harness: EngineHarness;
let events: EventBridgeClient;
let sqs: SQSClient;
let queueUrl: string;

beforeAll(async () => {
  const moto = inject('motoEndpoint');
  harness = await startEngineHarness({ RUN_EVENTS_BUS: 'default', AWS_ENDPOINT_URL_EVENTBRIDGE: moto, DEFAULT_STEP_TIMEOUT_SECONDS: '60' });
  await harness.registry.join({ name: 'beijing-1', kubeconfig: await readFile(inject('clusterKubeconfigs')['beijing-1']!, 'utf8') });
  const client = { endpoint: moto, region: 'us-east-1', credentials: { accessKeyId: 'flotilla-test', secretAccessKey: 'flotilla-test' } };
  events = new EventBridgeClient(client);
  sqs = new SQSClient(client);
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: ruleName }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await events.send(new PutRuleCommand({ Name: ruleName, EventPattern: JSON.stringify({ source: [runEventSource], 'detail-type': [runEventDetailType], detail: { namespace: [namespace] } }) }));
  await events.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'queue', Arn: queueArn }] }));
});
afterAll(async () => {
  await events?.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: ['queue'] })).catch(() => {});
  await events?.send(new DeleteRuleCommand({ Name: ruleName })).catch(() => {});
  if (queueUrl) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => {});
  await harness?.stop();
});

async function received(count: number): Promise<{ source: string; 'detail-type': string; detail: unknown }[]> {
  const bodies: { source: string; 'detail-type': string; detail: unknown }[] = [];
  const deadline = Date.now() + 30_000;
  while (bodies.length < count && Date.now() < deadline) {
    const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const message of answer.Messages ?? []) bodies.push(JSON.parse(message.Body!));
  }
  return bodies;
}

describe('run events', () => {
  it('a suspended, resumed and succeeded run publishes each transition to EventBridge with the documented shape, and status shows them', async () => {
    const document = {
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: 'evented', namespace },
      spec: {
        components: [{ name: 'evented-config', type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'evented' }, data: { a: 'b' } }] } }],
        policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], createNamespace: true } }],
        workflow: { steps: [{ name: 'approve', type: 'suspend' }, { name: 'ship', type: 'deploy', properties: { policies: ['here'] } }] },
      },
    };
    const { name, revisionName } = await harness.submit(document);
    await harness.waitFor(namespace, name, (s) => s.about.status === 'workflowSuspending');
    const { engineWith, observe } = await import('../../../functions/runtime.ts');
    const engine = engineWith((await import('../../../functions/cluster-access.ts')).clusterAccess, observe('events-test').telemetry);
    await requestOperation(engine, { namespace, name }, 'resume');
    const status = await harness.waitFor(namespace, name, (s) => s.workflow?.revision === revisionName && s.workflow.finished, 60_000);
    expect(status.about.status).toBe('running');

    const expected = ['run.started', 'step.suspended approve', 'run.suspended', 'step.resumed approve', 'step.succeeded approve', 'run.resumed', 'step.started ship', 'step.succeeded ship', 'run.succeeded'];
    const bodies = await received(expected.length);
    for (const body of bodies) {
      expect(body.source).toBe('flotilla');
      expect(body['detail-type']).toBe('Flotilla Workflow Transition');
    }
    const details = bodies.map((body) => RunEventDetail.parse(body.detail));
    // PutEvents of one write keeps its order; across writes the queue may interleave, so compare as sets, then in time order.
    const named = details.map((d) => `${d.event}${d.step ? ` ${d.step.name}` : ''}`);
    expect([...named].sort()).toEqual([...expected].sort());
    for (const detail of details) expect(detail).toMatchObject({ namespace, application: name, revision: revisionName });
    expect(details.find((d) => d.event === 'step.started')?.step).toEqual({ name: 'ship', type: 'deploy' });

    expect(status.history?.map((h) => `${h.event}${h.step ? ` ${h.step}` : ''}`)).toEqual(expected.slice(-10));
    expect(renderStatusText(status)).toMatch(/History:\n\n(  \S+  \S+.*\n)+/);
  });
});
