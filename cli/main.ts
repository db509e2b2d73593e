import { Command, CommanderError } from '@commander-js/extra-typings';
import packageJson from '../package.json' with { type: 'json' };
import { failureMessage } from './output/failure-message.ts';
import { UsageError } from './usage-error.ts';
import { clusterDetachCommand } from './commands/cluster-detach.ts';
import { clusterJoinCommand } from './commands/cluster-join.ts';
import { clusterLabelsCommand } from './commands/cluster-labels.ts';
import { clusterNamespacesCommand } from './commands/cluster-namespaces.ts';
import { clusterListCommand } from './commands/cluster-list.ts';
import { clusterProbeCommand } from './commands/cluster-probe.ts';
import { clusterRenameCommand } from './commands/cluster-rename.ts';
import { deleteCommand } from './commands/delete.ts';
import { dryRunCommand } from './commands/dry-run.ts';
import { diffCommand } from './commands/diff.ts';
import { logsCommand } from './commands/logs.ts';
import { loginCommand } from './commands/login.ts';
import { lsCommand } from './commands/ls.ts';
import { revisionsCommand } from './commands/revisions.ts';
import { revisionCommand } from './commands/revision-get.ts';
import { statusCommand } from './commands/status.ts';
import { upCommand } from './commands/up.ts';
import { workflowCommand } from './commands/workflow.ts';
import type { CliContext } from './context.ts';
import { processEnvironment, type CliEnvironment } from './environment.ts';
import { examples } from './options.ts';
import { processTerminal, type Terminal } from './output/terminal.ts';
import { triggerCommand } from './commands/trigger-group.ts';
import { notifyCommand } from './commands/notify.ts';
import { tokenCommand } from './commands/token-group.ts';

/** Exit codes: 0 done, 1 the operation failed (the reason is on stderr), 2 the command line was wrong. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** Runs the `flotilla` CLI on `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], terminal: Terminal = processTerminal, environment: CliEnvironment = processEnvironment): Promise<number> {
  const context: CliContext = { terminal, environment };
  const cluster = new Command('cluster')
    .summary('manage member clusters (vela cluster)')
    .description('Manage member clusters (vela cluster).')
    .addCommand(clusterJoinCommand(context))
    .addCommand(clusterListCommand(context))
    .addCommand(clusterLabelsCommand(context))
    .addCommand(clusterNamespacesCommand(context))
    .addCommand(clusterDetachCommand(context))
    .addCommand(clusterRenameCommand(context))
    .addCommand(clusterProbeCommand(context))
    .addHelpText('after', examples(['flotilla cluster join beijing-1.kubeconfig --name beijing-1'], ['flotilla cluster list']));
  const program = new Command('flotilla')
    .description('KubeVela-style multi-cluster delivery, serverless on AWS: the seed article\'s vela commands against the Flotilla API.')
    .version(packageJson.version)
    .addCommand(loginCommand(context))
    .addCommand(cluster)
    .addCommand(upCommand(context))
    .addCommand(statusCommand(context))
    .addCommand(lsCommand(context))
    .addCommand(revisionsCommand(context))
    .addCommand(revisionCommand(context))
    .addCommand(deleteCommand(context))
    .addCommand(workflowCommand(context))
    .addCommand(triggerCommand(context))
    .addCommand(notifyCommand(context))
    .addCommand(tokenCommand(context))
    .addCommand(dryRunCommand(terminal))
    .addCommand(diffCommand(context))
    .addCommand(logsCommand(context))
    .addHelpText(
      'after',
      examples(
        ['flotilla login --endpoint http://127.0.0.1:8080 --token "$(cat .flotilla/admin-token)"'],
        ['flotilla cluster join beijing-1.kubeconfig --name beijing-1'],
        ['flotilla up -f basic.yaml --wait'],
        ['flotilla status example-app'],
      ),
    );
  configure(program, terminal);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error instanceof UsageError) {
      terminal.stderr(`error: ${error.message}\n`);
      return ExitCode.usage;
    }
    terminal.stderr(failureMessage(error));
    return ExitCode.failed;
  }
}

/** Every command, nested ones too: errors as exceptions instead of process.exit, help and errors through the terminal. */
function configure(command: Command<unknown[], Record<string, unknown>, Record<string, unknown>>, terminal: Terminal): void {
  command
    .exitOverride()
    .showHelpAfterError('(add --help for usage and examples)')
    .configureOutput({ writeOut: terminal.stdout, writeErr: terminal.stderr });
  for (const sub of command.commands) configure(sub as Command<unknown[], Record<string, unknown>, Record<string, unknown>>, terminal);
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
