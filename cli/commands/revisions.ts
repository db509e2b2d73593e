import { Command } from '@commander-js/extra-typings';
import { revisionTable } from '../output/application-views.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption } from '../options.ts';

export function revisionsCommand(context: CliContext) {
  return new Command('revisions')
    .summary("list an application's revisions")
    .description("List an application's revisions, newest first (vela revision list): which is current, which ran to success (what rollback goes back to).")
    .argument('<name>', 'the application')
    .addOption(namespaceOption())
    .addOption(outputOption('the revisions'))
    .addHelpText('after', examples(['flotilla revisions example-app'], ['flotilla revisions example-app -n team-a -o json']))
    .action(async (name, options) => {
      const { client, settings } = connection(context);
      const revisions = await client.listRevisions(options.namespace ?? settings.namespace, name);
      if (options.output !== undefined) return printData(context, revisions, options.output);
      context.terminal.stdout(revisionTable(revisions));
    });
}
