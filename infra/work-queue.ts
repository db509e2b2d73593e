// An SQS work queue as Flotilla runs them: a dead-letter queue of the same kind (FIFO for FIFO), TLS-only access,
// SQS-managed encryption, and a visibility timeout derived from the consumer's time budget, so the two cannot drift.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** Lambda's rule for SQS event sources (and cdk-nag's): visibility at least six times the function timeout. */
export const visibilityPerConsumerTimeout = 6;

export interface WorkQueueProps {
  fifo: boolean;
  /** The longest timeout a consuming function may have; the queue's visibility timeout is six times this. */
  consumerTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
}

export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumerTimeout: Duration;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.consumerTimeout = props.consumerTimeout;
    const common = {
      fifo: props.fifo ? true : undefined,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    };
    this.deadLetterQueue = new Queue(this, 'DeadLetters', { ...common, retentionPeriod: Duration.days(14) });
    acknowledge(this.deadLetterQueue, {
      'Serverless::Serverless-SQSRedrivePolicy': 'This is the dead-letter queue; it is alarmed on depth and keeps messages 14 days for inspection and redrive.',
    });
    this.queue = new Queue(this, 'Queue', {
      ...common,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * visibilityPerConsumerTimeout),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      // Senders set a deduplication id per order; with one message group per member cluster, high-throughput FIFO
      // (deduplication and throughput per group) keeps clusters from sharing one queue-wide limit.
      ...(props.fifo
        ? { deduplicationScope: DeduplicationScope.MESSAGE_GROUP, fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID }
        : {}),
    });
  }
}
