// Flotilla on AWS: the HTTP API, the four functions of the control plane, the single table, the work queues, the
// credentials key, the schedules, the CI-event inbox and the alarms. docs/deploy.md explains every choice made here.
import { functionMemoryMb } from '../functions/memory-sizes.ts';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type Dashboard, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule, type EventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { routeTable } from '../api/route-table.ts';
import { groupIndexName, keyAttributes } from '../lib/adapters/dynamodb/table.ts';
import { FlotillaFunction, type ControlPlane, type QueueName } from './flotilla-function.ts';
import { acknowledge } from './nag.ts';
import { defaultSettings, type FlotillaSettings } from './settings.ts';
import { WorkQueue } from './work-queue.ts';
import { flotillaDashboard, flotillaMetric } from './dashboard.ts';
import { defaultEngineSettings } from '../lib/engine/context.ts';

/** Time budgets; each work queue's visibility timeout is six times its consumer's. */
const timeouts = {
  api: Duration.seconds(29), // HTTP API integrations give up at 30 s
  planner: Duration.seconds(60),
  // Five records a batch; a record that meets an unreachable cluster spends up to 15 s per request.
  applier: Duration.seconds(90),
  refresh: Duration.seconds(120),
  // A CI event publishes at most a few revisions; a Slack follow-up posts one reply.
  triggers: Duration.seconds(60),
  authorizer: Duration.seconds(5),
};

/** The order-age alarm's threshold: well past the applier's retries with backoff (8 receives, at most 30 s apart). */
export const orderAgeAlarmSeconds = 600;

/** CI events worth a look for trigger rules (issue "CI triggers and chatops"): one rule each. */
export const ciEventPatterns: Record<string, EventPattern> = {
  EcrImagePush: { source: ['aws.ecr'], detailType: ['ECR Image Action'], detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] } },
  CodePipelineSucceeded: {
    source: ['aws.codepipeline'],
    detailType: ['CodePipeline Pipeline Execution State Change'],
    detail: { state: ['SUCCEEDED'] },
  },
  CodeBuildSucceeded: { source: ['aws.codebuild'], detailType: ['CodeBuild Build State Change'], detail: { 'build-status': ['SUCCEEDED'] } },
};

export interface FlotillaStackProps extends StackProps {
  settings?: Partial<FlotillaSettings>;
}

export class FlotillaStack extends Stack {
  readonly functions: Record<'api' | 'planner' | 'applier' | 'refresh' | 'triggers' | 'authorizer', FlotillaFunction>;
  readonly table: TableV2;
  readonly credentialsKey: Key;
  readonly queues: Record<QueueName, WorkQueue>;
  readonly ciEvents: WorkQueue;
  readonly httpApi: HttpApi;
  readonly alarmTopic: Topic;
  /** The CloudWatch namespace of Flotilla's own metrics: the stack's name, so two stacks in one account stay apart. */
  readonly metricsNamespace: string;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: FlotillaStackProps = {}) {
    super(scope, id, props);
    const settings: FlotillaSettings = { ...defaultSettings, ...props.settings };
    const { applierConcurrency, logRetention } = settings;
    // The applier's two event sources share its reserved concurrency (Lambda's minimum per source is 2).
    const healthConcurrency = Math.max(2, Math.round(applierConcurrency / 4));
    if (applierConcurrency - healthConcurrency < 2) throw new Error(`applierConcurrency must be at least 4, not ${applierConcurrency}`);

    const credentialsKey = new Key(this, 'CredentialsKey', {
      description: 'Flotilla: wraps the data keys that seal member-cluster credentials',
      enableKeyRotation: true,
      alias: `alias/${this.stackName}/cluster-credentials`,
      // Without the key, every stored cluster credential is unreadable: it outlives the stack like the table.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { partition, sort, groupPartition, groupSort } = keyAttributes;
    const table = new TableV2(this, 'Table', {
      partitionKey: { name: partition, type: AttributeType.STRING },
      sortKey: { name: sort, type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: groupIndexName,
          partitionKey: { name: groupPartition, type: AttributeType.STRING },
          sortKey: { name: groupSort, type: AttributeType.STRING },
        },
      ],
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const queues = {
      planner: new WorkQueue(this, 'PlannerQueue', { fifo: false, consumerTimeout: timeouts.planner, maxReceiveCount: 5 }),
      applier: new WorkQueue(this, 'ApplierQueue', { fifo: true, consumerTimeout: timeouts.applier, maxReceiveCount: defaultEngineSettings.maxOrderReceives }),
      health: new WorkQueue(this, 'HealthQueue', { fifo: false, consumerTimeout: timeouts.applier, maxReceiveCount: 5 }),
      ciEvents: new WorkQueue(this, 'CiEvents', { fifo: false, consumerTimeout: timeouts.triggers, maxReceiveCount: 5 }),
    };
    this.metricsNamespace = this.stackName;
    const plane: ControlPlane = {
      table,
      queues,
      credentialsKey,
      driftIntervalSeconds: settings.driftMinutes * 60,
      clusterEndpointAllow: settings.clusterEndpointAllow,
      metricsNamespace: this.metricsNamespace,
    };

    const api = new FlotillaFunction(this, 'Api', {
      name: 'api',
      description: 'Flotilla HTTP API: clusters, applications, workflows, tokens',
      timeout: timeouts.api,
      memorySize: functionMemoryMb.api,
      logRetention,
    }).bindControlPlane(plane, { table: 'read-write', sendTo: ['planner', 'health', 'ciEvents'], credentials: 'seal', senderSecrets: true, documentSecrets: 'submit' });

    const planner = new FlotillaFunction(this, 'Planner', {
      name: 'planner',
      description: 'Flotilla planner: runs, steps, fan-out to the applier, garbage collection',
      timeout: timeouts.planner,
      memorySize: functionMemoryMb.planner,
      logRetention,
    })
      .bindControlPlane(plane, { table: 'read-write', sendTo: ['applier', 'health', 'planner'], documentSecrets: 'render', publishRunEvents: true })
      .consume(queues.planner, { batchSize: 10 });

    const applier = new FlotillaFunction(this, 'Applier', {
      name: 'applier',
      description: 'Flotilla applier: server-side apply, health, removal in member clusters',
      timeout: timeouts.applier,
      memorySize: functionMemoryMb.applier,
      logRetention,
      reservedConcurrentExecutions: applierConcurrency,
    })
      .bindControlPlane(plane, { table: 'read-write', sendTo: ['health', 'planner'], credentials: 'open', documentSecrets: 'apply' })
      .consume(queues.applier, { batchSize: 5, maxConcurrency: applierConcurrency - healthConcurrency })
      .consume(queues.health, { batchSize: 5, maxConcurrency: healthConcurrency });

    const refresh = new FlotillaFunction(this, 'Refresh', {
      name: 'refresh',
      description: 'Flotilla refresh: scheduled health refresh and drift correction orders, and the planner sweep',
      timeout: timeouts.refresh,
      memorySize: functionMemoryMb.refresh,
      logRetention,
    }).bindControlPlane(plane, { table: 'read', sendTo: ['applier', 'health', 'planner'] });

    const triggers = new FlotillaFunction(this, 'Triggers', {
      name: 'triggers',
      description: 'Flotilla triggers: CI events from EventBridge publish revisions; slow Slack replies are posted',
      timeout: timeouts.triggers,
      memorySize: functionMemoryMb.triggers,
      logRetention,
    })
      .bindControlPlane(plane, { table: 'read-write', sendTo: ['planner'], documentSecrets: 'submit' })
      .consume(queues.ciEvents, { batchSize: 10 });

    const authorizer = new FlotillaFunction(this, 'Authorizer', {
      name: 'authorizer',
      description: 'Flotilla HTTP API authorizer: lets through requests carrying a Flotilla bearer token',
      timeout: timeouts.authorizer,
      memorySize: functionMemoryMb.authorizer,
      logRetention,
    });
    this.functions = { api, planner, applier, refresh, triggers, authorizer };

    this.table = table;
    this.credentialsKey = credentialsKey;
    this.queues = queues;
    this.httpApi = this.#httpApi(api, authorizer, settings);
    const schedules = this.#schedules(refresh, settings);
    const ciEvents = queues.ciEvents;
    const ciRules = this.#ciEventRules(ciEvents);
    this.ciEvents = ciEvents;
    this.alarmTopic = this.#alarms({ functions: Object.values(this.functions), queues: Object.values(queues), rules: [...schedules, ...ciRules] }, settings);
    this.dashboard = flotillaDashboard(this, { namespace: this.metricsNamespace, functions: Object.values(this.functions), queues });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint, description: 'flotilla login --endpoint <this>' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'for infra/admin-token.ts --table' });
    new CfnOutput(this, 'CredentialsKeyArn', { value: credentialsKey.keyArn });
    new CfnOutput(this, 'CiEventsQueueUrl', { value: ciEvents.queue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });

    const synchronous =
      'Invoked synchronously (the HTTP API waits for it): a failure is answered to the caller and counted by the Errors alarm; there is no asynchronous event to keep.';
    acknowledge(api, { 'Serverless::Serverless-LambdaDLQ': synchronous });
    acknowledge(authorizer, { 'Serverless::Serverless-LambdaDLQ': synchronous });
    acknowledge(refresh, {
      'Serverless::Serverless-LambdaDLQ':
        'Invoked by the refresh and drift schedules with a constant input: a failed tick is superseded by the next one, so there is nothing to replay; failures raise the Errors alarm.',
    });
  }

  /** $default stage, throttled and access-logged; every route needs a bearer token except the API's public ones. */
  #httpApi(api: FlotillaFunction, authorizer: FlotillaFunction, settings: FlotillaSettings): HttpApi {
    const bearerToken = new HttpLambdaAuthorizer('BearerToken', authorizer, {
      identitySource: ['$request.header.Authorization'],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // The answer depends on the header alone.
      resultsCacheTtl: Duration.hours(1),
    });
    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Flotilla control plane',
      createDefaultStage: false,
      defaultAuthorizer: bearerToken,
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: settings.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    new HttpStage(this, 'HttpApiStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', api, { scopePermissionToRoute: false });
    // The API's own route table says which routes need no token; the gateway follows it.
    for (const route of routeTable.filter((candidate) => 'public' in candidate.access)) {
      for (const added of httpApi.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, authorizer: new HttpNoneAuthorizer() })) {
        const why =
          'signature' in route.access && route.access.signature !== undefined
            ? `callers (${route.access.signature}) sign each request with a per-trigger or per-workspace secret, which the API verifies before reading anything; a bad or missing signature gets 401`
            : 'it serves no stored data';
        acknowledge(added, {
          'AwsSolutions::AwsSolutions-APIG4': `${route.method} ${route.path} is public in the API's own route table (${route.operationId}): ${why}.`,
        });
      }
    }
    httpApi.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration });
    return httpApi;
  }

  /**
   * Health refresh, drift correction and the planner's sweep. A tick that cannot be delivered within its interval is dropped: the next one
   * replaces it, so no dead-letter queue; failed deliveries raise the rule's FailedInvocations alarm instead.
   */
  #schedules(refresh: FlotillaFunction, settings: FlotillaSettings): Rule[] {
    const tasks = { refresh: settings.refreshMinutes, drift: settings.driftMinutes, sweep: settings.sweepMinutes };
    return Object.entries(tasks).map(([task, minutes]) => {
      const rule = new Rule(this, `${task[0]?.toUpperCase()}${task.slice(1)}Schedule`, {
        description: `Flotilla ${task} every ${minutes} min`,
        schedule: Schedule.rate(Duration.minutes(minutes)),
        targets: [new LambdaFunction(refresh, { event: RuleTargetInput.fromObject({ task }), retryAttempts: 2, maxEventAge: Duration.minutes(minutes) })],
      });
      acknowledge(rule, {
        'Serverless::Serverless-EventBusDLQ':
          'A schedule tick carries no data and the next tick supersedes it; undeliverable ticks raise the FailedInvocations alarm.',
      });
      return rule;
    });
  }

  /**
   * ECR pushes and CodePipeline/CodeBuild successes land in the CI-event inbox that the trigger function consumes: the
   * buffer keeps events through that function's errors and deploys (docs/deploy.md says why not the planner queue or
   * the HTTP API).
   */
  #ciEventRules(inbox: WorkQueue): Rule[] {
    const target = new SqsQueue(inbox.queue, { deadLetterQueue: inbox.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) });
    const rules = Object.entries(ciEventPatterns).map(
      ([name, eventPattern]) => new Rule(this, `Ci${name}`, { description: `Flotilla CI events: ${name}`, eventPattern, targets: [target] }),
    );
    return rules;
  }

  /**
   * Any message in a dead-letter queue, any function error or throttle, any event a rule failed to deliver, any failed
   * run, an order waiting too long in the applier's queues: one alarm each, all on one topic.
   */
  #alarms(watched: { functions: FlotillaFunction[]; queues: WorkQueue[]; rules: Rule[] }, settings: FlotillaSettings): Topic {
    const topic = new Topic(this, 'Alarms', { displayName: 'Flotilla alarms', enforceSSL: true });
    if (settings.alarmEmail !== undefined) topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    const action = new SnsAction(topic);
    const alarm = (id: string, metric: IMetric, description: string, threshold = 1) => {
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(action);
    };
    const period = Duration.minutes(5);
    for (const work of watched.queues) {
      alarm(
        `${work.node.id}DeadLetters`,
        work.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        `Messages in the dead-letter queue of ${work.node.id}: they failed every delivery attempt`,
      );
    }
    for (const fn of watched.functions) {
      alarm(`${fn.node.id}Errors`, fn.metricErrors({ period, statistic: 'Sum' }), `${fn.node.id} function errors (crashes, timeouts)`);
      alarm(`${fn.node.id}Throttles`, fn.metricThrottles({ period, statistic: 'Sum' }), `${fn.node.id} function throttled`);
    }
    for (const rule of watched.rules) {
      const failed = new Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: rule.ruleName }, period, statistic: 'Sum' });
      alarm(`${rule.node.id}FailedInvocations`, failed, `EventBridge rule ${rule.node.id} could not deliver events to its target`);
    }
    alarm('RunsFailed', flotillaMetric(this.metricsNamespace, 'RunFinished', { outcome: 'failed' }, 'Sum'), 'A workflow run failed (flotilla status APP says why)');
    // Deploy orders and health checks: a message this old has waited through every retry and backoff Flotilla allows
    // (the planner queue is left out: its wake-ups are delayed on purpose, up to SQS's 15 minutes).
    for (const work of watched.queues.filter((queue) => queue.node.id === 'ApplierQueue' || queue.node.id === 'HealthQueue')) {
      alarm(
        `${work.node.id}OrderAge`,
        work.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        `An order has waited ${orderAgeAlarmSeconds} s or more in ${work.node.id}: the applier is not keeping up or a cluster's queue group is stuck`,
        orderAgeAlarmSeconds,
      );
    }
    return topic;
  }
}
