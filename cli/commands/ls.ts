import { Command, Option } from '@commander-js/extra-typings';
import { applicationTable } from '../output/application-views.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, outputOption } from '../options.ts';

export function lsCommand(context: CliContext) {
  return new Command('ls')
    .summary('list applications (vela ls)')
    .description('List applications (vela ls): every namespace the token may read, or one with -n.')
    .addOption(new Option('-n, --namespace <namespace>', 'only this namespace'))
    .addOption(outputOption('the applications'))
    .addHelpText('after', examples(['flotilla ls'], ['flotilla ls -n team-a -o yaml']))
    .action(async (options) => {
      const applications = await connection(context).client.listApplications(options.namespace);
      if (options.output !== undefined) return printData(context, applications, options.output);
      if (applications.length === 0) return context.terminal.stderr(`No application found${options.namespace === undefined ? '' : ` in namespace ${options.namespace}`}.\n`);
      context.terminal.stdout(applicationTable(applications));
    });
}
