import { connect, type Connection } from './client/connection.ts';
import { liveProgress, plainProgress, type ProgressOutput } from './output/progress-output.ts';
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

/** `--wait` progress on stderr: redrawn in place on a terminal, a line per change otherwise. */
export function progressOutput(context: CliContext): ProgressOutput {
  const { terminal } = context;
  return terminal.liveColumns === undefined
    ? plainProgress(terminal.stderr)
    : liveProgress(terminal.stderr, { columns: terminal.liveColumns, colors: terminal.errorColors });
}
