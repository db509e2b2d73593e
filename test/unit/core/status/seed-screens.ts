import type { RunUsage } from '../../../../lib/core/cost/usage.ts';
import type { StatusInput } from '../../../../lib/core/status/build-status.ts';
import { application, health, helloWorld, run, step, target } from './status-records.ts';

const namespaceNotFound = 'failed to apply component hello-world-server to beijing-1/multi-cluster: namespaces "multi-cluster" not found';

/** The screens of the seed article (and the cases around them), as the records the status is built from. */
export const seedScreens = {
  /** basic.yaml: deploy-beijing-clusters to beijing-1 and beijing-2. */
  basic: {
    application: application(),
    run: run([step('wftf9d4exj', 'deploy-beijing-clusters', 'succeeded')]),
    targets: [
      target('wftf9d4exj', 'beijing-1', { detail: health([helloWorld('60.205.222.30')]) }),
      target('wftf9d4exj', 'beijing-2', { detail: health([helloWorld('182.92.222.128')]) }),
    ],
  },
  /** basic.yaml in namespace multi-cluster, which beijing-1 lacks. */
  namespaceFailed: {
    application: application({ namespace: 'multi-cluster' }),
    run: run([step('9fierfkhsc', 'deploy-beijing-clusters', 'failed')], { namespace: 'multi-cluster', phase: 'failed' }),
    targets: [
      target('9fierfkhsc', 'beijing-1', { namespace: 'multi-cluster', phase: 'failed', message: namespaceNotFound }),
      target('9fierfkhsc', 'beijing-2', { namespace: 'multi-cluster', detail: health([helloWorld('182.92.222.128')]) }),
    ],
  },
  /** advanced.yaml: deploy-beijing, then deploy-aws with five replicas on us-west-1. */
  advanced: {
    application: application({ currentRevision: 3 }),
    run: run([step('syjepschi5', 'deploy-beijing', 'succeeded'), step('rk8xn8silg', 'deploy-aws', 'succeeded')], {
      mode: 'StepByStep',
      revision: 3,
      revisionName: 'example-app-v3',
    }),
    targets: [
      target('rk8xn8silg', 'us-west-1', { detail: health([helloWorld('192.168.40.10', 5)]) }),
      target('syjepschi5', 'beijing-2', { detail: health([helloWorld('182.92.222.128')]) }),
      target('syjepschi5', 'beijing-1', { detail: health([helloWorld('60.205.222.30')]) }),
    ],
  },
  /** advanced.yaml with a manual approval before deploy-aws, waiting for it. */
  suspended: {
    application: application({ currentRevision: 3 }),
    run: run(
      [
        step('syjepschi5', 'deploy-beijing', 'succeeded'),
        step('fov5fs8m9w', 'approve-aws', 'suspending', { type: 'suspend', message: 'Waiting approval to the deploy step "deploy-aws"' }),
        step('rk8xn8silg', 'deploy-aws', 'pending'),
      ],
      { mode: 'StepByStep', phase: 'suspended', revision: 3, revisionName: 'example-app-v3' },
    ),
    targets: [
      target('syjepschi5', 'beijing-1', { detail: health([helloWorld('60.205.222.30')]) }),
      target('syjepschi5', 'beijing-2', { detail: health([helloWorld('182.92.222.128')]) }),
    ],
  },
  /** A component with no traits; a later health check found beijing-2's replica gone. */
  noTraits: {
    application: application(),
    run: run([step('cqzwkjlbzu', 'deploy-everywhere', 'succeeded')]),
    targets: [
      target('cqzwkjlbzu', 'beijing-1', {
        detail: health([{ component: 'hello-world-server', type: 'webservice', healthy: true, message: 'Ready:1/1', traits: [] }]),
      }),
      target('cqzwkjlbzu', 'beijing-2', {
        detail: health([{ component: 'hello-world-server', type: 'webservice', healthy: false, message: 'Ready:0/1', traits: [] }]),
      }),
    ],
  },
  /** basic.yaml plus a redis worker, for `--svc`. */
  twoComponents: {
    application: application(),
    run: run([step('wftf9d4exj', 'deploy-beijing-clusters', 'succeeded')]),
    targets: ['60.205.222.30', '182.92.222.128'].map((ip, index) =>
      target('wftf9d4exj', `beijing-${index + 1}`, {
        detail: health([helloWorld(ip), { component: 'redis', type: 'worker', healthy: true, message: 'Ready:1/1', traits: [] }]),
      }),
    ),
  },
} satisfies Record<string, StatusInput>;

/** What the basic screen's run cost: the planner's share and each Beijing cluster's orders. */
export const basicUsage: RunUsage = {
  total: { dynamodbRequests: 42, dynamodbReadUnits: 20.5, dynamodbWriteUnits: 30, sqsRequests: 17, sqsFifoRequests: 2, lambdaInvocations: 6.5, lambdaGbSeconds: 1.8125 },
  targets: [
    {
      target: { stepId: 'wftf9d4exj', cluster: 'beijing-2', namespace: 'default' },
      usage: { dynamodbRequests: 10, dynamodbReadUnits: 4, dynamodbWriteUnits: 7, sqsRequests: 3, sqsFifoRequests: 0, lambdaInvocations: 2, lambdaGbSeconds: 0.5 },
    },
    {
      target: { stepId: 'wftf9d4exj', cluster: 'beijing-1', namespace: 'default' },
      usage: { dynamodbRequests: 12, dynamodbReadUnits: 5, dynamodbWriteUnits: 8, sqsRequests: 4, sqsFifoRequests: 0, lambdaInvocations: 2.5, lambdaGbSeconds: 0.6875 },
    },
  ],
};
