// The house constructs' own rules, on a bare stack.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { expect, test } from 'vitest';
import { FlotillaFunction } from '../../infra/flotilla-function.ts';
import { WorkQueue } from '../../infra/work-queue.ts';

function bareStack(): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Bare');
}

function planner(stack: Stack, timeoutSeconds: number): FlotillaFunction {
  return new FlotillaFunction(stack, 'Planner', {
    name: 'planner',
    description: 'test',
    timeout: Duration.seconds(timeoutSeconds),
    memorySize: 512,
    logRetention: RetentionDays.ONE_WEEK,
  });
}

test('a work queue hides a received message for six times its consumer timeout', () => {
  const stack = bareStack();
  new WorkQueue(stack, 'Work', { fifo: true, consumerTimeout: Duration.seconds(45), maxReceiveCount: 3 });
  Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 270, FifoQueue: true, RedrivePolicy: { maxReceiveCount: 3 } });
});

test('a function slower than the consumers a queue was sized for cannot consume it', () => {
  const stack = bareStack();
  const work = new WorkQueue(stack, 'Work', { fifo: false, consumerTimeout: Duration.seconds(30), maxReceiveCount: 3 });
  expect(() => planner(stack, 31).consume(work, { batchSize: 10 })).toThrow(
    'Bare/Planner (timeout 31 s) cannot consume Bare/Work: its visibility timeout is sized for consumers of at most 30 s',
  );
});

test('a function as fast as the budget consumes with partial batch responses', () => {
  const stack = bareStack();
  const work = new WorkQueue(stack, 'Work', { fifo: false, consumerTimeout: Duration.seconds(30), maxReceiveCount: 3 });
  planner(stack, 30).consume(work, { batchSize: 7, maxConcurrency: 3 });
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    BatchSize: 7,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    ScalingConfig: { MaximumConcurrency: 3 },
  });
});
