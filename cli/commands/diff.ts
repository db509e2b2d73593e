import { Command } from '@commander-js/extra-typings';
import { prepareApplication } from '../application-document.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption } from '../options.ts';
import { diffText } from '../output/query-views.ts';
import { untilAnswered } from '../query-poll.ts';

export function diffCommand(context: CliContext) {
  return new Command('diff')
    .summary('what submitting an Application would change (vela live-diff)')
    .description(
      'Show, per cluster and object, what submitting the Application would add, change (with the fields) or remove, against the current revision: both rendered by the planner against the registry as it is now. With --live, each cluster also dry-runs the new objects (server-side apply, dryRun=All) and shows what it would change on the live objects; the applier does this with the stored credentials, so no kubeconfig is needed.',
    )
    .requiredOption('-f, --file <path>', 'the Application, YAML or JSON (- reads standard input)')
    .addOption(namespaceOption("the namespace for an Application whose metadata names none (as for up)"))
    .option('--live', 'also dry-run the objects in each cluster and compare with the live objects')
    .addOption(outputOption('the diff'))
    .addHelpText('after', examples(['flotilla diff -f app.yaml'], ['flotilla diff -f app.yaml --live', 'what each cluster would change on its live objects']))
    .action(async (options) => {
      const { client, settings } = connection(context);
      const prepared = prepareApplication(context.terminal.readText(options.file), {
        namespace: options.namespace ?? settings.namespace,
        explicit: options.namespace !== undefined,
      });
      const diff = await client.diff(prepared, options.live === true);
      const live = diff.live === undefined ? undefined : await untilAnswered(client, diff.live, context.environment.clock);
      const result = { ...diff, ...(live === undefined ? {} : { live }) };
      if (options.output !== undefined) return printData(context, result, options.output);
      context.terminal.stdout(diffText(result, context.terminal.colors));
    });
}
