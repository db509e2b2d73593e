// Least privilege, checked from the synthesized template: what each function's role may do, statement by statement.
import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resourcesOf, synthFlotilla, type Synthesized } from './synth.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string>>;
}

let synth: Synthesized;
beforeAll(() => {
  synth = synthFlotilla();
});
afterAll(() => synth.dispose());

const idOf = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const actionsOf = (statement: Statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

/** Every statement of every identity policy attached to the function's role (inline policies and AWS::IAM::Policy). */
function statementsOf(name: keyof Synthesized['stack']['functions']): Statement[] {
  const fn = synth.stack.functions[name];
  const roleId = idOf(fn.role!);
  const roles = resourcesOf(synth.template, 'AWS::IAM::Role');
  expect(roles[roleId]?.Properties?.ManagedPolicyArns, `${name} has no managed policies`).toBeUndefined();
  const policies = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties?.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
  );
  return policies.flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

const functionNames = ['api', 'planner', 'applier', 'refresh', 'triggers', 'authorizer'] as const;

function allowed(name: (typeof functionNames)[number], action: string): Statement[] {
  return statementsOf(name).filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action));
}

describe('no wildcards', () => {
  test('no statement in any IAM policy allows "*" or "service:*"', () => {
    const statements = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/(^\*$)|(:\*$)/);
    }
  });

  test('resource "*" appears only in the X-Ray statement (X-Ray has no resource-level permissions)', () => {
    for (const name of functionNames) {
      const star = statementsOf(name).filter((statement) => JSON.stringify(statement.Resource) === '"*"');
      expect(star.map(actionsOf), name).toEqual([['xray:PutTelemetryRecords', 'xray:PutTraceSegments']]);
    }
  });

  test('the credentials key policy trusts only the account (IAM decides who may use the key)', () => {
    const [key] = Object.values(resourcesOf(synth.template, 'AWS::KMS::Key'));
    const statements = (key?.Properties?.KeyPolicy as { Statement: (Statement & { Principal: unknown })[] }).Statement;
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(statements[0]?.Principal)).toMatch(/:root"/);
  });
});

describe('table', () => {
  const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
  const tableDdl = ['dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:CreateTable', 'dynamodb:DeleteBackup', 'dynamodb:RestoreTableFromBackup'];

  test('the API function reads and writes items but cannot delete (or otherwise change) the table', () => {
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', ...writes]) expect(allowed('api', action), action).toHaveLength(1);
    for (const action of tableDdl) expect(allowed('api', action), action).toEqual([]);
  });

  test('no function can change the table itself', () => {
    for (const name of functionNames) for (const action of tableDdl) expect(allowed(name, action), `${name} ${action}`).toEqual([]);
  });

  test('the refresh function only reads; the authorizer has no table access', () => {
    expect(allowed('refresh', 'dynamodb:Query')).toHaveLength(1);
    for (const action of writes) expect(allowed('refresh', action), action).toEqual([]);
    expect(statementsOf('authorizer').flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });
});

describe('queues', () => {
  /** The queues (by construct id) a function may send to. */
  function sendsTo(name: (typeof functionNames)[number]): string[] {
    const { queues, ciEvents } = synth.stack;
    const byId = new Map([...Object.entries(queues), ['ciEvents', ciEvents] as const].flatMap(([key, work]) => [
      [idOf(work.queue), key],
      [idOf(work.deadLetterQueue), `${key}-dlq`],
    ]));
    return allowed(name, 'sqs:SendMessage')
      .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]))
      .map((resource) => byId.get((resource as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]) ?? JSON.stringify(resource))
      .sort();
  }

  test('each function sends exactly where the engine sends', () => {
    expect(sendsTo('api')).toEqual(['ciEvents', 'health', 'planner']);
    // health: notification and webhook posts, which the applier makes.
    expect(sendsTo('planner')).toEqual(['applier', 'health', 'planner']);
    expect(sendsTo('applier')).toEqual(['health', 'planner']);
    expect(sendsTo('refresh')).toEqual(['applier', 'health', 'planner']);
    expect(sendsTo('triggers')).toEqual(['planner']);
    expect(sendsTo('authorizer')).toEqual([]);
  });

  test('only the planner publishes run events, to the default bus of its own account and region', () => {
    const publishers = functionNames.filter((name) => allowed(name, 'events:PutEvents').length > 0);
    expect(publishers).toEqual(['planner']);
    const [statement] = allowed('planner', 'events:PutEvents');
    expect(actionsOf(statement!)).toEqual(['events:PutEvents']);
    expect(JSON.stringify(statement!.Resource)).toMatch(/arn:.*:events:.*:event-bus\/default/);
  });

  test('only the consumers receive and delete messages', () => {
    const receivers = functionNames.filter((name) => allowed(name, 'sqs:DeleteMessage').length > 0);
    expect(receivers).toEqual(['planner', 'applier', 'triggers']);
  });
});

describe('credentials key', () => {
  const context = { StringEquals: { 'kms:EncryptionContext:purpose': 'flotilla/cluster-credentials' } };
  const keyArn = () => ({ 'Fn::GetAtt': [idOf(synth.stack.credentialsKey), 'Arn'] });

  // The API seals and opens the secrets that verify webhook and Slack senders, under their own purposes; a cluster
  // credential never matches that condition.
  const senderSecrets = () => ({
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: keyArn(),
    Condition: { StringEquals: { 'kms:EncryptionContext:purpose': ['flotilla/trigger-secret', 'flotilla/chat-signing-secret'] } },
  });

  // The Secret values inside Applications, each under its own purpose: the API and the trigger function seal and open
  // revisions' values, the planner opens them and seals each target's, the applier opens targets' to apply.
  const documentSecrets = (actions: string | string[], purpose: string) => ({
    Effect: 'Allow',
    Action: actions,
    Resource: keyArn(),
    Condition: { StringEquals: { 'kms:EncryptionContext:purpose': purpose } },
  });
  const submitSecrets = () => documentSecrets(['kms:Decrypt', 'kms:GenerateDataKey'], 'flotilla/application-secrets');

  test('only the applier can decrypt cluster credentials; the API opens sender secrets; Application secrets open where they are used', () => {
    const expected: Partial<Record<(typeof functionNames)[number], unknown[]>> = {
      applier: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn(), Condition: context }, documentSecrets('kms:Decrypt', 'flotilla/target-secrets')],
      api: [senderSecrets(), submitSecrets()],
      planner: [documentSecrets('kms:Decrypt', 'flotilla/application-secrets')],
      triggers: [submitSecrets()],
    };
    for (const name of functionNames) {
      const decrypt = statementsOf(name).filter((statement) => actionsOf(statement).some((action) => /^kms:(Decrypt|\*)$|^kms:ReEncrypt/.test(action)));
      expect(decrypt, name).toEqual(expected[name] ?? []);
    }
  });

  test('data keys: the API for joining clusters and sender secrets; Application secrets where they are sealed', () => {
    const expected: Partial<Record<(typeof functionNames)[number], unknown[]>> = {
      api: [{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: keyArn(), Condition: context }, senderSecrets(), submitSecrets()],
      planner: [documentSecrets('kms:GenerateDataKey', 'flotilla/target-secrets')],
      triggers: [submitSecrets()],
    };
    for (const name of functionNames) {
      const generate = statementsOf(name).filter((statement) => actionsOf(statement).some((action) => action.startsWith('kms:GenerateDataKey')));
      expect(generate, name).toEqual(expected[name] ?? []);
    }
  });
});

test('each function writes logs to its own log group only', () => {
  for (const name of functionNames) {
    const logs = statementsOf(name).filter((statement) => actionsOf(statement).some((action) => action.startsWith('logs:')));
    expect(logs, name).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [idOf(synth.stack.functions[name].logGroup), 'Arn'] } },
    ]);
  }
});
