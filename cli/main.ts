import { Command, CommanderError } from '@commander-js/extra-typings';
import { PlacementError } from '../lib/errors/placement-error.ts';
import { ValidationError } from '../lib/errors/validation-error.ts';
import { dryRunCommand } from './commands/dry-run.ts';
import { processTerminal, type Terminal } from './output/terminal.ts';

/** Exit codes: 0 done, 1 the operation failed (the reason is on stderr), 2 the command line was wrong. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** Runs the `flotilla` CLI on `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], terminal: Terminal = processTerminal): Promise<number> {
  const program = new Command('flotilla')
    .description('KubeVela-style multi-cluster delivery, serverless on AWS')
    .exitOverride()
    .configureOutput({ writeOut: terminal.stdout, writeErr: terminal.stderr });
  for (const command of [dryRunCommand(terminal)]) program.addCommand(command.copyInheritedSettings(program));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    terminal.stderr(`${failureMessage(error)}\n`);
    return ExitCode.failed;
  }
}

function failureMessage(error: unknown): string {
  if (error instanceof ValidationError) return `Error: ${error.message}`;
  if (error instanceof PlacementError) {
    return `Error: ${error.step === undefined ? '' : `step ${error.step}: `}${error.message} (policy ${error.policy})`;
  }
  if (error instanceof Error && 'code' in error && 'path' in error) return `Error: cannot read ${String(error.path)}: ${String(error.code)}`;
  return `Error: ${error instanceof Error ? error.message : String(error)}`;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
