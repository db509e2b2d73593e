import { Command } from '@commander-js/extra-typings';
import type { CliContext } from '../context.ts';
import { examples } from '../options.ts';
import { triggerAddCommand } from './trigger-add.ts';
import { triggerListCommand } from './trigger-list.ts';
import { triggerRemoveCommand } from './trigger-rm.ts';

/** `flotilla trigger add|list|rm`: CI triggers (docs/triggers.md). */
export function triggerCommand(context: CliContext) {
  return new Command('trigger')
    .summary('manage CI triggers (webhooks, EventBridge)')
    .description('CI triggers: events from GitHub, GitLab, any CI (generic webhook) or EventBridge that publish a new revision with a component image updated.')
    .addCommand(triggerAddCommand(context))
    .addCommand(triggerListCommand(context))
    .addCommand(triggerRemoveCommand(context))
    .addHelpText('after', examples(["flotilla trigger add example-app --source github --component hello-world-server --on push --branch main --image 'ghcr.io/org/hello:${sha}'"], ['flotilla trigger list']));
}
