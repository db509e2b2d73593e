import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { readEventBridgeEvent } from '../../../../integrations/triggers/eventbridge-event.ts';
import { sample } from '../webhooks/webhook-fixtures.ts';

describe('EventBridge events', () => {
  it('reads an ECR image push: the image in the account registry, by tag', () => {
    expect(readEventBridgeEvent(sample('eventbridge/ecr-image-push.json'))).toEqual({
      kind: 'event',
      event: {
        source: 'eventbridge',
        kind: 'image',
        deliveryId: '13cde686-328b-6117-af20-0e5566167482',
        summary: 'ECR push of 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name:latest',
        subject: { repository: 'my-repository-name', tag: 'latest' },
        variables: {
          image: '123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name:latest',
          repository: 'my-repository-name',
          registry: '123456789012.dkr.ecr.us-west-2.amazonaws.com',
          digest: 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234',
          tag: 'latest',
        },
      },
    });
  });

  it('reads an untagged push by its digest, and ignores deletions', () => {
    const untagged = sample('eventbridge/ecr-image-push.json');
    delete untagged.detail['image-tag'];
    const read = readEventBridgeEvent(untagged);
    expect(read.kind === 'event' && read.event.variables.image).toBe(
      '123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name@sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234',
    );
    expect(read.kind === 'event' && read.event.subject).toEqual({ repository: 'my-repository-name' });
    expect(readEventBridgeEvent(sample('eventbridge/ecr-image-delete.json'))).toEqual({
      kind: 'ignored',
      reason: 'ECR DELETE (SUCCESS) of my-repository-name; only successful pushes deploy',
    });
  });

  it('reads CodePipeline and CodeBuild successes, and ignores other states', () => {
    expect(readEventBridgeEvent(sample('eventbridge/codepipeline-execution-succeeded.json'))).toMatchObject({
      kind: 'event',
      event: { kind: 'codepipeline', deliveryId: '01234567-EXAMPLE', subject: { pipeline: 'myPipeline' }, variables: { executionId: '12345678-1234-5678-abcd-12345678abcd' } },
    });
    const build = readEventBridgeEvent(sample('eventbridge/codebuild-build-succeeded.json'));
    expect(build).toMatchObject({
      kind: 'event',
      event: {
        kind: 'codebuild',
        summary: 'CodeBuild my-sample-project build 55 succeeded',
        subject: { project: 'my-sample-project' },
        variables: { project: 'my-sample-project', buildId: '8745a7a9-c340-456a-9166-edf953571bEX', buildNumber: '55', sourceVersion: 'my-source-version' },
      },
    });
    expect(build.kind === 'event' && build.event.variables.sha).toBeUndefined();
    const failed = sample('eventbridge/codebuild-build-succeeded.json');
    failed.detail['build-status'] = 'FAILED';
    expect(readEventBridgeEvent(failed)).toEqual({ kind: 'ignored', reason: 'CodeBuild my-sample-project build is FAILED; only succeeded builds deploy' });
  });

  it('offers a commit source version as ${sha}, and plain-text and exported variables as ${env.NAME}', () => {
    const build = sample('eventbridge/codebuild-build-succeeded.json');
    const info = build.detail['additional-information'];
    info['source-version'] = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
    info.environment['environment-variables'] = [
      { name: 'REPO', type: 'PLAINTEXT', value: 'app' },
      { name: 'TOKEN', type: 'SECRETS_MANAGER', value: 'arn:aws:secretsmanager:...' },
    ];
    info['exported-environment-variables'] = [{ name: 'IMAGE_TAG', value: '1.4.0' }];
    const read = readEventBridgeEvent(build);
    expect(read.kind === 'event' && read.event.variables).toMatchObject({ sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', shortSha: '6113728', 'env.REPO': 'app', 'env.IMAGE_TAG': '1.4.0' });
    expect(read.kind === 'event' && read.event.variables['env.TOKEN']).toBeUndefined();
  });

  it('ignores other event types and refuses what is not an EventBridge event', () => {
    expect(readEventBridgeEvent({ ...sample('eventbridge/ecr-image-push.json'), 'detail-type': 'ECR Image Scan' })).toEqual({ kind: 'ignored', reason: 'ECR Image Scan events from aws.ecr deploy nothing' });
    expect(() => readEventBridgeEvent({ hello: 'world' })).toThrow(ValidationError);
  });
});
