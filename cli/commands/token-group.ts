import { Command } from '@commander-js/extra-typings';
import type { CliContext } from '../context.ts';
import { examples } from '../options.ts';
import { tokenCreateCommand } from './token-create.ts';
import { tokenListCommand } from './token-list.ts';
import { tokenRevokeCommand } from './token-revoke.ts';

/** `flotilla token create|list|revoke`: API tokens (docs/api.md, Tokens). Needs an admin token. */
export function tokenCommand(context: CliContext) {
  return new Command('token')
    .summary('manage API tokens (admin)')
    .description('API tokens: create one (shown once), list them with their expiry and last use, revoke one.')
    .addCommand(tokenCreateCommand(context))
    .addCommand(tokenListCommand(context))
    .addCommand(tokenRevokeCommand(context))
    .addHelpText('after', examples(['flotilla token create ci-team-a --role deployer --namespaces team-a --expires-in 90d'], ['flotilla token list']));
}
