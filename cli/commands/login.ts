import { Command, Option } from '@commander-js/extra-typings';
import { apiClient } from '../client/api-client.ts';
import * as z from 'zod';
import { CliConfig, configPath, writeConfig } from '../client/cli-config.ts';
import { UsageError } from '../usage-error.ts';
import type { CliContext } from '../context.ts';
import { examples } from '../options.ts';

export function loginCommand(context: CliContext) {
  return new Command('login')
    .summary('save the API endpoint and token')
    .description(
      "Save the API endpoint and a bearer token in the user's config (mode 0600), after checking that the token is accepted. FLOTILLA_ENDPOINT, FLOTILLA_TOKEN and FLOTILLA_NAMESPACE override what is saved.",
    )
    .requiredOption('--endpoint <url>', 'the API: http://127.0.0.1:8080 for npm start, or the deployed HTTP API URL')
    .requiredOption('--token <token>', 'a bearer token (- reads it from standard input, keeping it out of shell history)')
    .addOption(new Option('-n, --namespace <namespace>', 'the namespace commands use without -n (default: default)'))
    .addHelpText(
      'after',
      examples(
        ['flotilla login --endpoint http://127.0.0.1:8080 --token "$(cat .flotilla/admin-token)"', 'the control plane npm start runs'],
        ['flotilla login --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com --token - -n team-a < token.txt'],
      ),
    )
    .action(async (options) => {
      const { terminal, environment } = context;
      const token = (options.token === '-' ? terminal.readText('-') : options.token).trim();
      const given = CliConfig.safeParse({ endpoint: options.endpoint.replace(/\/+$/, ''), token, namespace: options.namespace });
      if (!given.success) throw new UsageError(z.prettifyError(given.error).replaceAll('\n', ' '));
      const config = given.data;
      const { endpoint } = config;
      const client = apiClient({ endpoint, token, fetch: environment.fetch });
      await client.health();
      // Every role may list clusters, so this says whether the token is accepted, whatever it may do.
      await client.listClusters();
      const path = configPath(environment.env, environment.home);
      writeConfig(path, config);
      terminal.stdout(`Logged in to ${endpoint}; saved in ${path}.\n`);
    });
}
