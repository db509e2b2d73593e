// cdk-nag v3 (AwsSolutions and Serverless packs) runs inside synthesis: any unacknowledged finding fails it.
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { synthFlotilla, type Synthesized } from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthFlotilla();
});
afterAll(() => synth.dispose());

test('both packs ran and left no unacknowledged finding', () => {
  const reports = synth.report.pluginReports;
  expect(reports.map((report) => report.pluginName).sort()).toEqual(['AwsSolutions', 'Serverless']);
  for (const report of reports) {
    expect(report.violations, report.pluginName).toEqual([]);
    expect(report.conclusion).toBe('success');
  }
});

test('every acknowledgement carries a reason', () => {
  const suppressed = synth.report.pluginReports.flatMap((report) => report.suppressedViolations);
  expect(suppressed.length).toBeGreaterThan(0);
  for (const finding of suppressed) expect(finding.reason.length, `${finding.ruleName} at ${finding.acknowledgedAt}`).toBeGreaterThan(40);
});

test('the acknowledged findings are exactly these (a new one needs a reason and a line here)', () => {
  const acknowledged = synth.report.pluginReports.flatMap((report) =>
    report.suppressedViolations.flatMap((finding) =>
      finding.violatingConstructs.map((construct) => `${finding.ruleName.replace(/<Table[0-9A-F]+\.Arn>/, '<Table.Arn>')} ${construct.constructPath}`),
    ),
  );
  const roles = ['Api', 'Planner', 'Applier', 'Refresh', 'Triggers', 'Authorizer'];
  const tableUsers = ['Api', 'Planner', 'Applier', 'Refresh', 'Triggers'];
  const dlqs = ['PlannerQueue', 'ApplierQueue', 'HealthQueue', 'CiEvents'];
  expect(acknowledged.sort()).toEqual(
    [
      ...roles.map((fn) => `AwsSolutions-IAM5[Resource::*] Flotilla/${fn}Role/DefaultPolicy/Resource`),
      ...tableUsers.map((fn) => `AwsSolutions-IAM5[Resource::<Table.Arn>/index/*] Flotilla/${fn}Role/DefaultPolicy/Resource`),
      'AwsSolutions-APIG4 Flotilla/HttpApi/GET--healthz/Resource',
      'AwsSolutions-APIG4 Flotilla/HttpApi/GET--openapi.json/Resource',
      // Webhooks and Slack: signed by their callers and verified by the API.
      'AwsSolutions-APIG4 Flotilla/HttpApi/POST--hooks--github--{triggerId}/Resource',
      'AwsSolutions-APIG4 Flotilla/HttpApi/POST--hooks--gitlab--{triggerId}/Resource',
      'AwsSolutions-APIG4 Flotilla/HttpApi/POST--hooks--generic--{triggerId}/Resource',
      'AwsSolutions-APIG4 Flotilla/HttpApi/POST--chatops--slack/Resource',
      'AwsSolutions-APIG4 Flotilla/HttpApi/POST--chatops--slack--interactions/Resource',
      ...roles.map((fn) => `Serverless-LambdaDLQ Flotilla/${fn}/Resource`),
      ...dlqs.map((queue) => `Serverless-SQSRedrivePolicy Flotilla/${queue}/DeadLetters/Resource`),
      'Serverless-LambdaEventSourceMappingDestination Flotilla/Planner/SqsEventSource:FlotillaPlannerQueueB0E1B3E4/Resource',
      'Serverless-LambdaEventSourceMappingDestination Flotilla/Applier/SqsEventSource:FlotillaApplierQueue231F0A96/Resource',
      'Serverless-LambdaEventSourceMappingDestination Flotilla/Applier/SqsEventSource:FlotillaHealthQueue596A5B61/Resource',
      'Serverless-LambdaEventSourceMappingDestination Flotilla/Triggers/SqsEventSource:FlotillaCiEventsQueueA61BB769/Resource',
      'Serverless-EventBusDLQ Flotilla/RefreshSchedule/Resource',
      'Serverless-EventBusDLQ Flotilla/DriftSchedule/Resource',
      'Serverless-EventBusDLQ Flotilla/SweepSchedule/Resource',
    ].sort(),
  );
});

test('a finding nobody acknowledged fails synthesis', () => {
  const insecure = (stack: Synthesized['stack']) => {
    new Queue(stack, 'Unguarded');
  };
  expect(() => synthFlotilla({ amend: insecure })).toThrow(/AwsSolutions-SQS4[\s\S]*Flotilla\/Unguarded\/Resource/);
});
