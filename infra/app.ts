// The CDK app (`npx cdk synth`, `npx cdk deploy`): one Flotilla stack, environment-agnostic, so synthesis needs no AWS
// account, no credentials and no network. Settings come from context (infra/settings.ts).
import { App } from 'aws-cdk-lib';
import { FlotillaStack } from './flotilla-stack.ts';
import { addNagChecks } from './nag.ts';
import { settingsFromContext } from './settings.ts';

const app = new App();
const { stackName, settings } = settingsFromContext(app.node);
new FlotillaStack(app, stackName, { settings });
addNagChecks(app);
