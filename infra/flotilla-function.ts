// The house construct for Flotilla's Lambda functions: one place fixes runtime, architecture, bundling, tracing and
// logs, and the bind/consume methods set a function's environment and its IAM grants in the same call, so a function
// never receives a resource name without exactly the access it needs (and never access without the name).
import { Duration, RemovalPolicy, Stack, type CfnElement } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { cdkBundling, entryPath, repoRoot, type FunctionName } from './bundling.ts';
import { acknowledge } from './nag.ts';
import type { WorkQueue } from './work-queue.ts';
import { chatSecretPurpose } from '../integrations/chatops/slack-integration.ts';
import { triggerSecretPurpose } from '../integrations/triggers/trigger-secret.ts';
import { applicationSecretsPurpose } from '../lib/engine/secrets/application-secrets.ts';
import { targetSecretsPurpose } from '../lib/engine/secrets/target-secrets.ts';

/** The encryption context every sealed cluster credential carries (lib/clusters/cluster-credentials.ts). */
export const credentialsPurpose = 'flotilla/cluster-credentials';
/** Webhook secrets of trigger rules and the Slack signing secret: the API seals them and opens them to verify senders. */
export const senderSecretPurposes = [triggerSecretPurpose, chatSecretPurpose] as const;

export interface FlotillaFunctionProps {
  /** Which handler (infra/bundling.ts lists them). */
  name: FunctionName;
  description: string;
  timeout: Duration;
  memorySize: number;
  logRetention: RetentionDays;
  reservedConcurrentExecutions?: number;
}

/** The resources behind functions/config.ts's environment contract. */
export interface ControlPlane {
  table: ITableV2;
  queues: Record<QueueName, WorkQueue>;
  credentialsKey: IKey;
  driftIntervalSeconds: number;
  /** CLUSTER_ENDPOINT_ALLOW; set only when not empty, so the default contract stays as small as it is. */
  clusterEndpointAllow: string;
  /** POWERTOOLS_METRICS_NAMESPACE: where the functions' EMF metrics go. */
  metricsNamespace: string;
}
/** `ciEvents`: the CI-event inbox (EventBridge CI events, slow Slack replies) the trigger function consumes. */
export type QueueName = 'planner' | 'applier' | 'health' | 'ciEvents';

/** What one function may do with the control plane; everything not named here is denied. */
export interface ControlPlaneAccess {
  table: 'read' | 'read-write';
  sendTo: readonly QueueName[];
  /** Publish run and step transitions to the account's default EventBridge bus (events:PutEvents on it, RUN_EVENTS_BUS). */
  publishRunEvents?: boolean;
  /** seal: kms:GenerateDataKey; open: kms:Decrypt; both only under the cluster-credentials encryption context. */
  credentials?: 'seal' | 'open';
  /** Seal and open the secrets that verify webhook and Slack senders (never cluster credentials). */
  senderSecrets?: boolean;
  /**
   * The Secret values inside Applications (lib/engine/secrets): `submit` seals and opens revisions' values (API,
   * triggers), `render` opens revisions' and seals targets' (planner), `apply` opens targets' (applier).
   */
  documentSecrets?: 'submit' | 'render' | 'apply';
}

/** Which KMS actions `documentSecrets` grants, under which encryption-context purpose. */
const documentSecretGrants: Record<NonNullable<ControlPlaneAccess['documentSecrets']>, { actions: string[]; purpose: string }[]> = {
  submit: [{ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], purpose: applicationSecretsPurpose }],
  render: [
    { actions: ['kms:Decrypt'], purpose: applicationSecretsPurpose },
    { actions: ['kms:GenerateDataKey'], purpose: targetSecretsPurpose },
  ],
  apply: [{ actions: ['kms:Decrypt'], purpose: targetSecretsPurpose }],
};

export class FlotillaFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: FlotillaFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    // Its own role instead of AWSLambdaBasicExecutionRole (logs on every log group): writes to its log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: props.description });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: entryPath(props.name),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}/package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      bundling: cdkBundling,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
    });
    acknowledge(role, {
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]':
        'Only the X-Ray statement that active tracing adds (xray:PutTraceSegments, xray:PutTelemetryRecords): X-Ray has no resource-level permissions. test/infra checks that no other statement uses "*".',
    });
  }

  /**
   * Sets the whole environment contract of functions/config.ts (every function validates all of it at cold start)
   * and grants only what `access` names. The queue URLs of queues a function may not send to are harmless names.
   */
  bindControlPlane(plane: ControlPlane, access: ControlPlaneAccess): this {
    const { table, queues, credentialsKey } = plane;
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.addEnvironment('PLANNER_QUEUE_URL', queues.planner.queue.queueUrl);
    this.addEnvironment('APPLIER_QUEUE_URL', queues.applier.queue.queueUrl);
    this.addEnvironment('HEALTH_QUEUE_URL', queues.health.queue.queueUrl);
    this.addEnvironment('CI_EVENTS_QUEUE_URL', queues.ciEvents.queue.queueUrl);
    this.addEnvironment('CREDENTIALS_KMS_KEY_ID', credentialsKey.keyArn);
    this.addEnvironment('DRIFT_INTERVAL_SECONDS', String(plane.driftIntervalSeconds));
    this.addEnvironment('POWERTOOLS_METRICS_NAMESPACE', plane.metricsNamespace);
    if (plane.clusterEndpointAllow !== '') this.addEnvironment('CLUSTER_ENDPOINT_ALLOW', plane.clusterEndpointAllow);

    if (access.table === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    const tableId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnElement);
    acknowledge(this.role ?? this, {
      [`AwsSolutions::AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`]:
        "The table grant covers this table's indexes, and the table has exactly one (gsi1, which the store queries).",
    });
    for (const name of access.sendTo) queues[name].queue.grantSendMessages(this);
    // Every function gets the whole contract; only the planner, which writes runs, may publish.
    this.addEnvironment('RUN_EVENTS_BUS', 'default');
    if (access.publishRunEvents) {
      const stack = Stack.of(this);
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['events:PutEvents'], resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })] }),
      );
    }
    if (access.credentials !== undefined) {
      Grant.addToPrincipalOrResource({
        grantee: this,
        actions: [access.credentials === 'seal' ? 'kms:GenerateDataKey' : 'kms:Decrypt'],
        resourceArns: [credentialsKey.keyArn],
        resource: credentialsKey,
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': credentialsPurpose } },
      });
    }
    if (access.senderSecrets) {
      Grant.addToPrincipalOrResource({
        grantee: this,
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resourceArns: [credentialsKey.keyArn],
        resource: credentialsKey,
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': [...senderSecretPurposes] } },
      });
    }
    for (const grant of access.documentSecrets === undefined ? [] : documentSecretGrants[access.documentSecrets]) {
      Grant.addToPrincipalOrResource({
        grantee: this,
        actions: grant.actions,
        resourceArns: [credentialsKey.keyArn],
        resource: credentialsKey,
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': grant.purpose } },
      });
    }
    return this;
  }

  /**
   * Subscribes the function to a work queue with partial batch responses. The queue's visibility timeout was sized
   * for a consumer timeout (six times it); a function slower than that would see its messages redelivered while it
   * still works on them, so that is refused here.
   */
  consume(work: WorkQueue, options: { batchSize: number; maxConcurrency?: number }): this {
    const timeout = this.timeout ?? Duration.seconds(3);
    if (timeout.toSeconds() > work.consumerTimeout.toSeconds()) {
      throw new Error(
        `${this.node.path} (timeout ${timeout.toSeconds()} s) cannot consume ${work.node.path}: its visibility timeout is sized for consumers of at most ${work.consumerTimeout.toSeconds()} s`,
      );
    }
    this.addEventSource(
      new SqsEventSource(work.queue, { batchSize: options.batchSize, maxConcurrency: options.maxConcurrency, reportBatchItemFailures: true }),
    );
    acknowledge(this, {
      'Serverless::Serverless-LambdaDLQ':
        "Invoked by SQS event sources only: a message that keeps failing moves to its queue's dead-letter queue (redrive policy), which is alarmed. A function DLQ only receives failed asynchronous invocations.",
      'Serverless::Serverless-LambdaEventSourceMappingDestination':
        "SQS event source mappings take no on-failure destination: failed messages go to the queue's dead-letter queue through its redrive policy.",
    });
    return this;
  }
}
