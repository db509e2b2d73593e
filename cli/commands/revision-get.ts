import { Command, Option } from '@commander-js/extra-typings';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, namespaceOption } from '../options.ts';
import { revisionArgument } from '../revision-argument.ts';

/** `revision get APP-vN`: the Application document stored with that revision (vela revision get). */
export function revisionGetCommand(context: CliContext) {
  return new Command('get')
    .summary('print the Application stored with a revision (vela revision get)')
    .description('Print the Application document stored with a revision, as it was checked at submit: YAML, or JSON with -o json.')
    .argument('<revision>', 'the revision, APP-vN as flotilla revisions lists it', revisionArgument)
    .addOption(namespaceOption())
    .addOption(new Option('-o, --output <format>', 'yaml or json').choices(['yaml', 'json'] as const).default('yaml' as const))
    .addHelpText('after', examples(['flotilla revision get example-app-v1'], ['flotilla revision get example-app-v2 -n team-a -o json']))
    .action(async (revision, options) => {
      const { client, settings } = connection(context);
      const detail = await client.getRevision(options.namespace ?? settings.namespace, revision.application, revision.name);
      printData(context, detail.document, options.output);
    });
}

/** `revision get` (one revision; `flotilla revisions NAME` lists them all). */
export function revisionCommand(context: CliContext) {
  return new Command('revision')
    .summary("read one of an application's revisions (vela revision)")
    .description("Read one of an application's stored revisions (vela revision). `flotilla revisions NAME` lists them.")
    .addCommand(revisionGetCommand(context))
    .addHelpText('after', examples(['flotilla revision get example-app-v1']));
}
