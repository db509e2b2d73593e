import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTable } from '../../lib/adapters/dynamodb/table.ts';
import { resourcesOf, synthFlotilla, type Synthesized } from './synth.ts';
import { metricCatalog } from '../../lib/engine/ports/telemetry.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthFlotilla();
});
afterAll(() => synth.dispose());

const idOf = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [idOf(construct), 'Arn'] });

describe('resources', () => {
  test('counts', () => {
    const counts: Record<string, number> = {
      'AWS::Lambda::Function': 6, // api, planner, applier, status, triggers, authorizer
      'AWS::Lambda::EventSourceMapping': 4, // planner <- planner queue; applier <- applier FIFO and health queues; triggers <- CI events
      'AWS::SQS::Queue': 8, // planner, applier (FIFO), health, CI events, each with its dead-letter queue
      'AWS::DynamoDB::GlobalTable': 1,
      'AWS::KMS::Key': 1,
      'AWS::ApiGatewayV2::Api': 1,
      'AWS::ApiGatewayV2::Route': 8, // /{proxy+}, healthz, openapi.json, three webhooks, Slack commands and interactions
      'AWS::ApiGatewayV2::Authorizer': 1,
      'AWS::Events::Rule': 6, // refresh, drift, sweep, ECR push, CodePipeline, CodeBuild
      'AWS::CloudWatch::Alarm': 25, // 4 dead-letter queues + 6 functions x (errors, throttles) + 6 rules + failed runs + 2 order ages
      'AWS::CloudWatch::Dashboard': 1,
      'AWS::SNS::Topic': 1,
      'AWS::Logs::LogGroup': 7, // one per function and the API access log
    };
    for (const [type, count] of Object.entries(counts)) synth.template.resourceCountIs(type, count);
  });

  test('every function: Node 24 on arm64, traced, its own log group with retention, source maps on', () => {
    const functions = resourcesOf(synth.template, 'AWS::Lambda::Function');
    const logGroups = resourcesOf(synth.template, 'AWS::Logs::LogGroup');
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
      const logGroup = (fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[logGroup]?.Properties).toMatchObject({ RetentionInDays: 30 });
    }
  });

  test('the control-plane functions get the whole environment contract of functions/config.ts; the authorizer none of it', () => {
    const { table, queues, credentialsKey, functions } = synth.stack;
    const resources = resourcesOf(synth.template, 'AWS::Lambda::Function');
    for (const name of ['api', 'planner', 'applier', 'refresh', 'triggers'] as const) {
      expect(resources[idOf(functions[name])]?.Properties?.Environment, name).toEqual({
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          TABLE_NAME: { Ref: idOf(table) },
          PLANNER_QUEUE_URL: { Ref: idOf(queues.planner.queue) },
          APPLIER_QUEUE_URL: { Ref: idOf(queues.applier.queue) },
          HEALTH_QUEUE_URL: { Ref: idOf(queues.health.queue) },
          CI_EVENTS_QUEUE_URL: { Ref: idOf(queues.ciEvents.queue) },
          CREDENTIALS_KMS_KEY_ID: arnOf(credentialsKey),
          DRIFT_INTERVAL_SECONDS: '300',
          POWERTOOLS_METRICS_NAMESPACE: 'Flotilla',
          RUN_EVENTS_BUS: 'default',
        },
      });
    }
    expect(resources[idOf(functions.authorizer)]?.Properties?.Environment).toEqual({ Variables: { NODE_OPTIONS: '--enable-source-maps' } });
  });

  test('reserved concurrency on the applier only, shared by its two event sources', () => {
    const functions = resourcesOf(synth.template, 'AWS::Lambda::Function');
    const reserved = Object.entries(functions).filter(([, fn]) => fn.Properties?.ReservedConcurrentExecutions !== undefined);
    expect(reserved.map(([id, fn]) => [id, fn.Properties?.ReservedConcurrentExecutions])).toEqual([[idOf(synth.stack.functions.applier), 20]]);
    const applierSources = Object.values(resourcesOf(synth.template, 'AWS::Lambda::EventSourceMapping')).filter(
      (esm) => (esm.Properties?.FunctionName as { Ref: string }).Ref === idOf(synth.stack.functions.applier),
    );
    const concurrency = applierSources.map((esm) => (esm.Properties?.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency);
    expect(concurrency.reduce((a, b) => a + b, 0)).toBe(20);
  });

  test('applierConcurrency from the settings', () => {
    const other = synthFlotilla({ settings: { applierConcurrency: 40 } });
    try {
      other.template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 40 });
      other.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 30 } });
      other.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 10 } });
    } finally {
      other.dispose();
    }
    expect(() => synthFlotilla({ settings: { applierConcurrency: 3 } })).toThrow('applierConcurrency must be at least 4, not 3');
  });

  test('the cluster endpoint allow-list reaches every control-plane function (no loopback setting: AWS never allows it)', () => {
    const other = synthFlotilla({ settings: { clusterEndpointAllow: '10.0.0.0/8,*.eks.amazonaws.com' } });
    try {
      const resources = resourcesOf(other.template, 'AWS::Lambda::Function');
      for (const name of ['api', 'planner', 'applier', 'refresh', 'triggers'] as const) {
        const variables = (resources[idOf(other.stack.functions[name])]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(variables.CLUSTER_ENDPOINT_ALLOW, name).toBe('10.0.0.0/8,*.eks.amazonaws.com');
        expect(variables.CLUSTER_ENDPOINT_ALLOW_LOOPBACK, name).toBeUndefined();
      }
    } finally {
      other.dispose();
    }
  });
});

describe('table', () => {
  test('on-demand, point-in-time recovery, TTL on `ttl`, deletion protection, retained', () => {
    synth.template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      }),
    });
  });

  test('the same keys and index as createTable, which local mode and the tests use', async () => {
    let created: CreateTableCommandInput | undefined;
    const recorder = {
      send: async (command: { input: unknown; constructor: { name: string } }) => {
        if (command.constructor.name === 'CreateTableCommand') created = command.input as CreateTableCommandInput;
        return { Table: { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [{ IndexStatus: 'ACTIVE' }] } };
      },
    } as unknown as DynamoDBClient;
    await createTable(recorder, 'flotilla');
    const sorted = <T extends { AttributeName?: string }>(items: T[] | undefined) => [...(items ?? [])].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));
    const table = Object.values(resourcesOf(synth.template, 'AWS::DynamoDB::GlobalTable'))[0]?.Properties ?? {};
    expect(sorted(table.AttributeDefinitions as [])).toEqual(sorted(created?.AttributeDefinitions));
    expect(table.KeySchema).toEqual(created?.KeySchema);
    expect(table.GlobalSecondaryIndexes).toEqual(
      created?.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
    );
  });
});

describe('queues', () => {
  test('planner, health and CI events are standard queues, the applier queue and its dead-letter queue are FIFO', () => {
    const queues = resourcesOf(synth.template, 'AWS::SQS::Queue');
    const { planner, applier, health } = synth.stack.queues;
    expect(queues[idOf(applier.queue)]?.Properties).toMatchObject({ FifoQueue: true, DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    // The senders set a deduplication id per order (lib/queue/sqs-work-queues.ts).
    expect(queues[idOf(applier.queue)]?.Properties?.ContentBasedDeduplication).toBeUndefined();
    expect(queues[idOf(applier.deadLetterQueue)]?.Properties?.FifoQueue).toBe(true);
    for (const work of [planner, health, synth.stack.ciEvents]) {
      expect(queues[idOf(work.queue)]?.Properties?.FifoQueue).toBeUndefined();
      expect(queues[idOf(work.deadLetterQueue)]?.Properties?.FifoQueue).toBeUndefined();
    }
  });

  test('each work queue redrives to its own dead-letter queue after the receives local mode also allows', () => {
    const queues = resourcesOf(synth.template, 'AWS::SQS::Queue');
    const expected = { planner: 5, applier: 8, health: 5 } as const;
    for (const [name, maxReceiveCount] of Object.entries(expected)) {
      const work = synth.stack.queues[name as keyof typeof expected];
      expect(queues[idOf(work.queue)]?.Properties?.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(work.deadLetterQueue), maxReceiveCount });
      expect(queues[idOf(work.deadLetterQueue)]?.Properties).toMatchObject({ MessageRetentionPeriod: 1209600 });
    }
  });

  test('every queue is encrypted and refuses requests without TLS', () => {
    const queues = resourcesOf(synth.template, 'AWS::SQS::Queue');
    const policies = Object.values(resourcesOf(synth.template, 'AWS::SQS::QueuePolicy'));
    for (const id of Object.keys(queues)) {
      expect(queues[id]?.Properties?.SqsManagedSseEnabled).toBe(true);
      const tlsOnly = policies.some(
        (policy) =>
          JSON.stringify(policy.Properties?.Queues).includes(`"${id}"`) &&
          (policy.Properties?.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }).Statement.some(
            (statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          ),
      );
      expect(tlsOnly, `${id} denies plain HTTP`).toBe(true);
    }
  });

  test('event sources report batch item failures, and visibility is at least six times the consumer timeout', () => {
    const queues = resourcesOf(synth.template, 'AWS::SQS::Queue');
    const functions = resourcesOf(synth.template, 'AWS::Lambda::Function');
    const mappings = Object.values(resourcesOf(synth.template, 'AWS::Lambda::EventSourceMapping'));
    for (const mapping of mappings) {
      expect(mapping.Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      const queueId = (mapping.Properties?.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const functionId = (mapping.Properties?.FunctionName as { Ref: string }).Ref;
      const visibility = queues[queueId]?.Properties?.VisibilityTimeout as number;
      const timeout = functions[functionId]?.Properties?.Timeout as number;
      expect(visibility, `${queueId} for ${functionId}`).toBeGreaterThanOrEqual(6 * timeout);
    }
    const sources = mappings.map((m) => [(m.Properties?.FunctionName as { Ref: string }).Ref, (m.Properties?.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]]);
    const { functions: fns, queues: q } = synth.stack;
    expect(sources.sort()).toEqual(
      [
        [idOf(fns.applier), idOf(q.applier.queue)],
        [idOf(fns.applier), idOf(q.health.queue)],
        [idOf(fns.planner), idOf(q.planner.queue)],
        [idOf(fns.triggers), idOf(q.ciEvents.queue)],
      ].sort(),
    );
  });
});

describe('credentials key', () => {
  test('rotation on, retained with the table', () => {
    synth.template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });
});

describe('HTTP API', () => {
  test('every route needs the bearer-token authorizer except the routes the API itself declares public', () => {
    const routes = Object.values(resourcesOf(synth.template, 'AWS::ApiGatewayV2::Route')).map((route) => [
      route.Properties?.RouteKey,
      route.Properties?.AuthorizationType,
    ]);
    expect(routes.sort()).toEqual(
      [
        ['ANY /{proxy+}', 'CUSTOM'],
        ['GET /healthz', 'NONE'],
        ['GET /openapi.json', 'NONE'],
        // Signed by their callers (GitHub, GitLab, generic HMAC, Slack) and verified by the API itself.
        ['POST /hooks/github/{triggerId}', 'NONE'],
        ['POST /hooks/gitlab/{triggerId}', 'NONE'],
        ['POST /hooks/generic/{triggerId}', 'NONE'],
        ['POST /chatops/slack', 'NONE'],
        ['POST /chatops/slack/interactions', 'NONE'],
      ].sort(),
    );
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.Authorization'],
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerUri: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([arnOf(synth.stack.functions.authorizer)])]) }),
    });
  });

  test('all routes go to the API function with payload 2.0', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: arnOf(synth.stack.functions.api),
    });
  });

  test('the $default stage is throttled and writes JSON access logs', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
    });
  });
});

describe('events', () => {
  test('refresh, drift and sweep schedules invoke the refresh function with their task', () => {
    const refreshArn = arnOf(synth.stack.functions.refresh);
    for (const [rate, task] of [
      ['rate(2 minutes)', 'refresh'],
      ['rate(5 minutes)', 'drift'],
      ['rate(1 minute)', 'sweep'],
    ]) {
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: rate,
        Targets: [Match.objectLike({ Arn: refreshArn, Input: JSON.stringify({ task }) })],
      });
    }
  });

  test('CI events (ECR push, CodePipeline and CodeBuild success) go to the CI-events inbox with its dead-letter queue, not to the planner', () => {
    const rules = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule')).filter((rule) => rule.Properties?.EventPattern !== undefined);
    expect(rules.map((rule) => (rule.Properties?.EventPattern as { source: string[] }).source).sort()).toEqual([
      ['aws.codebuild'],
      ['aws.codepipeline'],
      ['aws.ecr'],
    ]);
    for (const rule of rules) {
      expect(rule.Properties?.Targets).toEqual([
        expect.objectContaining({ Arn: arnOf(synth.stack.ciEvents.queue), DeadLetterConfig: { Arn: arnOf(synth.stack.ciEvents.deadLetterQueue) } }),
      ]);
      expect(JSON.stringify(rule.Properties?.Targets)).not.toContain(idOf(synth.stack.queues.planner.queue));
    }
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ecr'], 'detail-type': ['ECR Image Action'], detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] } },
    });
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(resourcesOf(synth.template, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties ?? {});
  const dimension = (alarm: Record<string, unknown>) => JSON.stringify(alarm.Dimensions);

  test('every dead-letter queue has a depth alarm', () => {
    const { queues, ciEvents } = synth.stack;
    for (const work of [queues.planner, queues.applier, queues.health, ciEvents]) {
      const depth = alarms().filter(
        (alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible' && dimension(alarm).includes(idOf(work.deadLetterQueue)),
      );
      expect(depth, work.node.id).toHaveLength(1);
      expect(depth[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  test('every function has an errors and a throttles alarm', () => {
    for (const fn of Object.values(synth.stack.functions)) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarms().filter((alarm) => alarm.MetricName === metric && dimension(alarm).includes(`"${idOf(fn)}"`));
        expect(found, `${fn.node.id} ${metric}`).toHaveLength(1);
      }
    }
  });

  test('a failed run raises an alarm, on the RunFinished metric the planner emits', () => {
    const failed = alarms().filter((alarm) => alarm.MetricName === 'RunFinished');
    expect(failed).toEqual([
      expect.objectContaining({
        Namespace: 'Flotilla',
        Dimensions: [
          { Name: 'outcome', Value: 'failed' },
          { Name: 'service', Value: 'flotilla' },
        ],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
  });

  test('an order waiting 600 s in the applier or health queue raises an alarm; the planner queue (delayed wake-ups) has none', () => {
    const { queues } = synth.stack;
    const age = alarms().filter((alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage');
    expect(age).toHaveLength(2);
    for (const work of [queues.applier, queues.health]) {
      const found = age.filter((alarm) => dimension(alarm).includes(idOf(work.queue)));
      expect(found, work.node.id).toEqual([expect.objectContaining({ Statistic: 'Maximum', Threshold: 600, ComparisonOperator: 'GreaterThanOrEqualToThreshold' })]);
    }
  });

  test('all alarms notify the alarm topic', () => {
    const topic = { Ref: idOf(synth.stack.alarmTopic) };
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topic]);
  });
});

describe('dashboard', () => {
  const body = () => {
    const [dashboard] = Object.values(resourcesOf(synth.template, 'AWS::CloudWatch::Dashboard'));
    // The body is a Fn::Join of strings and references; the strings are enough to read the widgets.
    const parts = (dashboard?.Properties?.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    return parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
  };

  test('draws every metric of the catalog, in the namespace of the stack', () => {
    const text = body();
    for (const name of Object.keys(metricCatalog)) expect(text, name).toContain(name);
    expect(text).toContain(String.raw`SEARCH('{Flotilla,service,cluster} MetricName=\"ApplyLatency\"', 'p90', 300)`);
    expect(text).toContain(String.raw`SEARCH('{Flotilla,service,route,status} MetricName=\"ApiLatency\"', 'p90', 300)`);
  });

  test('shows order age and dead letters of every queue, and the errors of every function', () => {
    const text = body();
    expect(text).toContain('ApproximateAgeOfOldestMessage');
    expect(text).toContain('ApproximateNumberOfMessagesVisible');
    for (const fn of Object.values(synth.stack.functions)) expect(text).toContain(idOf(fn));
  });
});

test('outputs: the API URL and the table name', () => {
  synth.template.hasOutput('ApiUrl', { Value: Match.anyValue() });
  synth.template.hasOutput('TableName', { Value: { Ref: idOf(synth.stack.table) } });
});
