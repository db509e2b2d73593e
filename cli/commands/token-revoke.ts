import { Command } from '@commander-js/extra-typings';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, outputOption } from '../options.ts';
import { revokedTokenMessage } from '../output/token-views.ts';

export function tokenRevokeCommand(context: CliContext) {
  return new Command('revoke')
    .summary('revoke an API token')
    .description('Revoke a token by its id (as token list shows it): it answers 401 from then on, and stays listed as revoked. Revoking it again changes nothing.')
    .argument('<id>', 'the token id: 16 hex digits')
    .addOption(outputOption('the revoked token'))
    .addHelpText('after', examples(['flotilla token revoke 3f2a9c0d1e4b5a6f']))
    .action(async (id, options) => {
      const revoked = await connection(context).client.revokeToken(id);
      if (options.output !== undefined) return printData(context, revoked, options.output);
      context.terminal.stdout(revokedTokenMessage(revoked));
    });
}
