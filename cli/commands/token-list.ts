import { Command } from '@commander-js/extra-typings';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, outputOption } from '../options.ts';
import { tokenTable } from '../output/token-views.ts';

export function tokenListCommand(context: CliContext) {
  return new Command('list')
    .alias('ls')
    .summary('list API tokens (never the tokens themselves)')
    .description('List every token ever created: ID, NAME, ROLE, NAMESPACES, CLUSTERS, STATE (active, expired, revoked), EXPIRES and LAST USED (to the minute). Needs an admin token.')
    .addOption(outputOption('the tokens'))
    .addHelpText('after', examples(['flotilla token list'], ['flotilla token list -o json']))
    .action(async (options) => {
      const tokens = await connection(context).client.listTokens();
      if (options.output !== undefined) return printData(context, tokens, options.output);
      if (tokens.length === 0) return context.terminal.stderr('No token found.\n');
      context.terminal.stdout(tokenTable(tokens));
    });
}
