// cdk-nag v3: the AwsSolutions and Serverless packs check the whole app at synth (`cdk synth` and the infra tests). A
// finding fails synthesis unless it is acknowledged on the construct it concerns (or an ancestor), with the reason;
// the acknowledgements sit next to the constructs that cause them.
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/** Acknowledges findings by their full id (`AwsSolutions::AwsSolutions-IAM5[Resource::*]`), each with its reason. */
export function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  Validations.of(scope).acknowledge(...Object.entries(findings).map(([id, reason]) => ({ id, reason })));
}
