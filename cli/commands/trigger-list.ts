import { Command } from '@commander-js/extra-typings';
import { triggerTable } from '../trigger-cli.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption } from '../options.ts';

export function triggerListCommand(context: CliContext) {
  return new Command('list')
    .alias('ls')
    .summary("list an application's triggers, or all")
    .description('List triggers: those of one application, or, without one, every trigger the token may read (in one namespace with -n). Never their secrets.')
    .argument('[app]', 'the application')
    .addOption(namespaceOption())
    .addOption(outputOption('the triggers'))
    .addHelpText('after', examples(['flotilla trigger list example-app'], ['flotilla trigger list -o yaml']))
    .action(async (app, options) => {
      const { client, settings } = connection(context);
      const namespace = app === undefined ? options.namespace : (options.namespace ?? settings.namespace);
      const triggers = await client.listTriggers(namespace, app);
      if (options.output !== undefined) return printData(context, triggers, options.output);
      if (triggers.length === 0) return context.terminal.stderr(`No trigger found${app === undefined ? '' : ` for ${app}`}.\n`);
      context.terminal.stdout(triggerTable(triggers));
    });
}
