import { Command } from '@commander-js/extra-typings';
import { connection, type CliContext } from '../context.ts';
import { examples, namespaceOption } from '../options.ts';

export function triggerRemoveCommand(context: CliContext) {
  return new Command('rm')
    .summary('remove a trigger')
    .description('Remove a trigger of an application; its webhook answers 404 from then on.')
    .argument('<app>', 'the application')
    .argument('<id>', 'the trigger id, as trigger list shows it')
    .addOption(namespaceOption())
    .addHelpText('after', examples(['flotilla trigger rm example-app 3f2a9c0d1e4b5a6f7c8d']))
    .action(async (app, id, options) => {
      const { client, settings } = connection(context);
      const removed = await client.removeTrigger(options.namespace ?? settings.namespace, app, id);
      context.terminal.stdout(`Trigger ${removed.id} removed from ${removed.application} (namespace ${removed.namespace}).\n`);
    });
}
