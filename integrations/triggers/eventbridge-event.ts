import * as z from 'zod';
import { parseWith } from '../../lib/core/errors/zod-issues.ts';
import { deliveryIdPattern } from '../../lib/core/trigger/delivery-record.ts';
import { commitVariables, type ReadDelivery } from '../../lib/core/trigger/ci-event.ts';
import { EventBridgeEvent } from '../../contract/trigger-schemas.ts';

// The AWS events the CDK stack's rules route to Flotilla (infra/flotilla-stack.ts, ciEventPatterns), in the shapes
// the AWS documentation gives: "Amazon ECR events and EventBridge" (detail-type ECR Image Action), "Monitoring
// CodePipeline events" (CodePipeline Pipeline Execution State Change) and "CodeBuild build notifications input format
// reference" (CodeBuild Build State Change). The event id is the delivery id.

const EcrImageAction = z.looseObject({
  result: z.string(),
  'repository-name': z.string().min(1),
  'image-digest': z.string().min(1),
  'action-type': z.string(),
  'image-tag': z.string().optional(),
});

const PipelineExecution = z.looseObject({
  pipeline: z.string().min(1),
  'execution-id': z.string().min(1),
  state: z.string(),
});

const NameValue = z.looseObject({ name: z.string(), value: z.string().optional(), type: z.string().optional() });
const BuildStateChange = z.looseObject({
  'build-status': z.string(),
  'project-name': z.string().min(1),
  'build-id': z.string().min(1),
  'additional-information': z
    .looseObject({
      'build-number': z.number().optional(),
      'source-version': z.string().optional(),
      environment: z.looseObject({ 'environment-variables': z.array(NameValue).optional() }).optional(),
      'exported-environment-variables': z.array(NameValue).optional(),
    })
    .optional(),
});

/** Reads an EventBridge event: an ECR image push, a CodePipeline execution or a CodeBuild build that succeeded. */
export function readEventBridgeEvent(input: unknown): ReadDelivery {
  const event = parseWith(EventBridgeEvent, input, '');
  const type = `${event.source} ${event['detail-type']}`;
  switch (type) {
    case 'aws.ecr ECR Image Action':
      return readEcrPush(event);
    case 'aws.codepipeline CodePipeline Pipeline Execution State Change':
      return readPipelineExecution(event);
    case 'aws.codebuild CodeBuild Build State Change':
      return readBuild(event);
    default:
      return { kind: 'ignored', reason: `${event['detail-type']} events from ${event.source} deploy nothing` };
  }
}

function readEcrPush(event: EventBridgeEvent): ReadDelivery {
  const detail = parseWith(EcrImageAction, event.detail, 'detail');
  const repository = detail['repository-name'];
  if (detail['action-type'] !== 'PUSH' || detail.result !== 'SUCCESS') {
    return { kind: 'ignored', reason: `ECR ${detail['action-type']} (${detail.result}) of ${repository}; only successful pushes deploy` };
  }
  const registry = `${event.account}.dkr.ecr.${event.region}.amazonaws.com`;
  const tag = detail['image-tag'];
  const digest = detail['image-digest'];
  const image = tag === undefined || tag === '' ? `${registry}/${repository}@${digest}` : `${registry}/${repository}:${tag}`;
  return {
    kind: 'event',
    event: {
      source: 'eventbridge',
      kind: 'image',
      deliveryId: event.id,
      summary: `ECR push of ${image}`,
      subject: { repository, ...(tag ? { tag } : {}) },
      variables: { image, repository, registry, digest, ...(tag ? { tag } : {}) },
    },
  };
}

function readPipelineExecution(event: EventBridgeEvent): ReadDelivery {
  const detail = parseWith(PipelineExecution, event.detail, 'detail');
  if (detail.state !== 'SUCCEEDED') return { kind: 'ignored', reason: `pipeline ${detail.pipeline} is ${detail.state}; only succeeded executions deploy` };
  return {
    kind: 'event',
    event: {
      source: 'eventbridge',
      kind: 'codepipeline',
      deliveryId: event.id,
      summary: `CodePipeline ${detail.pipeline} execution ${detail['execution-id']} succeeded`,
      subject: { pipeline: detail.pipeline },
      variables: { pipeline: detail.pipeline, executionId: detail['execution-id'] },
    },
  };
}

function readBuild(event: EventBridgeEvent): ReadDelivery {
  const detail = parseWith(BuildStateChange, event.detail, 'detail');
  const project = detail['project-name'];
  if (detail['build-status'] !== 'SUCCEEDED') return { kind: 'ignored', reason: `CodeBuild ${project} build is ${detail['build-status']}; only succeeded builds deploy` };
  const info = detail['additional-information'];
  // build-id is the build's ARN: arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>.
  const buildId = detail['build-id'].split(':').at(-1) ?? detail['build-id'];
  const sourceVersion = info?.['source-version'];
  const commit = sourceVersion !== undefined && /^[0-9a-f]{40}$/.test(sourceVersion) ? commitVariables(sourceVersion) : {};
  // Exported variables (buildspec `exported-variables`) win over the project's plain-text environment variables.
  const environment = [
    ...(info?.environment?.['environment-variables'] ?? []).filter((variable) => (variable.type ?? 'PLAINTEXT') === 'PLAINTEXT'),
    ...(info?.['exported-environment-variables'] ?? []),
  ];
  const env = Object.fromEntries(environment.filter((variable) => variable.value !== undefined).map((variable) => [`env.${variable.name}`, variable.value ?? '']));
  return {
    kind: 'event',
    event: {
      source: 'eventbridge',
      kind: 'codebuild',
      deliveryId: event.id,
      summary: `CodeBuild ${project} build ${info?.['build-number'] ?? buildId} succeeded`,
      subject: { project },
      variables: {
        project,
        buildId,
        buildNumber: String(info?.['build-number'] ?? ''),
        ...(sourceVersion === undefined ? {} : { sourceVersion }),
        ...commit,
        ...env,
      },
    },
  };
}
