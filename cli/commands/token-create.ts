import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import type { TokenRequest } from '../client/api-client.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, labelsArgument, outputOption } from '../options.ts';
import { createdTokenMessage } from '../output/token-views.ts';
import { UsageError } from '../usage-error.ts';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')];

/** `30` or `30d`: whole days, which is what the API takes. */
function daysArgument(text: string): number {
  const match = /^(\d{1,4})d?$/.exec(text.trim());
  if (match === null) throw new InvalidArgumentError(`"${text}" is not a number of days such as 30 or 30d`);
  return Number(match[1]);
}

export function tokenCreateCommand(context: CliContext) {
  return new Command('create')
    .summary('create an API token (shown once)')
    .description(
      'Create a bearer token for the Flotilla API. It is printed once and never again: only its hash is stored. A deployer or viewer may be limited to namespaces, a deployer to member clusters (by name and/or labels), and any token may expire (at most 365 days ahead).',
    )
    .argument('<name>', 'what the token is for, shown in token list (e.g. ci-team-a)')
    .addOption(new Option('--role <role>', 'viewer: reads; deployer: also applications; admin: everything').choices(['admin', 'deployer', 'viewer'] as const).makeOptionMandatory())
    .option('--namespaces <list>', 'limit the token to these namespaces (comma-separated or repeated)', collect)
    .option('--clusters <list>', 'limit a deployer to these member clusters (comma-separated or repeated)', collect)
    .option('--cluster-selector <labels>', 'limit a deployer to member clusters carrying these labels, k=v[,k2=v2]; with --clusters, either allows', labelsArgument)
    .option('--expires-in <days>', 'the token expires this many days from now, e.g. 30d (1 to 365)', daysArgument)
    .option('--expires-at <time>', 'the token expires at this instant (RFC 3339, e.g. 2026-12-31T00:00:00Z)')
    .addOption(outputOption('the token'))
    .addHelpText(
      'after',
      examples(
        ['flotilla token create ci-team-a --role deployer --namespaces team-a --expires-in 90d'],
        ['flotilla token create ci-edge --role deployer --cluster-selector tier=edge --clusters beijing-1', 'places only on beijing-1 and clusters labelled tier=edge'],
        ['flotilla token create dashboard --role viewer -o json', 'the token is the "token" field'],
      ),
    )
    .action(async (name, options) => {
      if (options.expiresIn !== undefined && options.expiresAt !== undefined) throw new UsageError('give --expires-in or --expires-at, not both');
      const clusters =
        options.clusters === undefined && options.clusterSelector === undefined
          ? undefined
          : { ...(options.clusters === undefined ? {} : { names: options.clusters }), ...(options.clusterSelector === undefined ? {} : { selector: options.clusterSelector }) };
      const request: TokenRequest = {
        name,
        role: options.role,
        ...(options.namespaces === undefined ? {} : { namespaces: options.namespaces }),
        ...(clusters === undefined ? {} : { clusters }),
        ...(options.expiresIn === undefined ? {} : { expiresInDays: options.expiresIn }),
        ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
      };
      const created = await connection(context).client.createToken(request);
      if (options.output !== undefined) return printData(context, created, options.output);
      context.terminal.stdout(createdTokenMessage(created));
    });
}
