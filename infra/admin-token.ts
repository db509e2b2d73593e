// The first admin token of a deployed Flotilla: the AWS counterpart of the token `npm start` writes to
// .flotilla/admin-token. Run once after `cdk deploy`, with AWS credentials that may write to the table:
//
//   npx node infra/admin-token.ts --table <TableName output> [--region eu-west-1] [--out ~/.flotilla-admin-token]
//
// Only the token's SHA-256 hash is stored. The token is printed once (or written, mode 0600, to --out) and cannot be
// shown again. Later tokens are created through the API (POST /tokens) with this one.
import { chmod, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { awsSettingsFromEnv, createAwsClients } from '../lib/adapters/aws/clients.ts';
import { createStore } from '../lib/adapters/dynamodb/store.ts';
import type { TokenStore } from '../lib/engine/ports/store.ts';
import { createToken, listTokens, type CreatedToken } from '../lib/engine/tokens/tokens.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

/** Refused while a live admin token exists, unless forced: the first token is a bootstrap, not a way to mint more. */
export async function createFirstAdminToken(tokens: TokenStore, options: { force?: boolean } = {}): Promise<CreatedToken> {
  const admins = (await listTokens(tokens)).filter((token) => token.role === 'admin' && token.revokedAt === undefined);
  if (admins.length > 0 && !options.force) {
    const ids = admins.map((token) => token.id).join(', ');
    throw new Error(`the table already has a live admin token (${ids}): create more with POST /tokens, or pass --force`);
  }
  return createToken(tokens, { role: 'admin', description: 'first admin token (infra/admin-token.ts)' });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { table: { type: 'string' }, region: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  if (values.table === undefined) {
    process.stderr.write('usage: npx node infra/admin-token.ts --table <TableName> [--region REGION] [--out FILE] [--force]\n');
    return 2;
  }
  const settings = awsSettingsFromEnv();
  const clients = createAwsClients({ ...settings, region: values.region ?? settings.region });
  try {
    const { token, summary } = await createFirstAdminToken(createStore(clients.dynamodb, values.table).tokens, { force: values.force });
    if (values.out === undefined) {
      process.stdout.write(`${token}\n`);
    } else {
      await writeFile(values.out, `${token}\n`, { mode: 0o600 });
      await chmod(values.out, 0o600);
    }
    process.stderr.write(`admin token ${summary.id} created${values.out === undefined ? '' : ` and written to ${values.out}`}; it is not shown again\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`Error: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
