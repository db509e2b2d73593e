import { connect, type Connection } from '../lib/cli/connection.ts';
import { formatData, type DataFormat } from './output/format.ts';
import type { CliEnvironment } from './environment.ts';
import type { Terminal } from './output/terminal.ts';

/** What every command is built with. */
export interface CliContext {
  terminal: Terminal;
  environment: CliEnvironment;
}

/** The API client for the configured endpoint and token (env over `flotilla login`'s config). */
export function connection(context: CliContext): Connection {
  const { env, home, fetch } = context.environment;
  return connect(env, home, fetch);
}

/** `-o json|yaml`: the data alone on stdout. */
export function printData(context: CliContext, value: unknown, format: DataFormat): void {
  context.terminal.stdout(formatData(value, format));
}
