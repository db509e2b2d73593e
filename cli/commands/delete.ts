import { Command } from '@commander-js/extra-typings';
import { formatDuration } from '../durations.ts';
import { waitForDeletion } from '../wait-for.ts';
import { connection, progressOutput, type CliContext } from '../context.ts';
import { examples, namespaceOption, pollIntervalOption, timeoutOption } from '../options.ts';

function leftBehind(orphan: { cluster: string; revision: number; resources: { kind: string; namespace?: string | undefined; name: string }[]; reason?: string | undefined; recordedAt: string }): string {
  const objects = orphan.resources.map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`).join(', ');
  return `left in cluster ${orphan.cluster} (revision ${orphan.revision}, ${orphan.recordedAt}): ${objects}${orphan.reason ? `\n  because ${orphan.reason}` : ''}\n`;
}

export function deleteCommand(context: CliContext) {
  return new Command('delete')
    .summary('delete an application everywhere (vela delete)')
    .description('Delete an application and its objects from every cluster (vela delete). The removal runs in the background; --wait follows it.')
    .argument('<name>', 'the application')
    .addOption(namespaceOption())
    .option('--force', 'leave objects in clusters that cannot be reached (recorded as orphans) instead of retrying until they can be')
    .option('--wait', 'wait until the application is gone')
    .addOption(timeoutOption())
    .addOption(pollIntervalOption())
    .addHelpText('after', examples(['flotilla delete example-app'], ['flotilla delete example-app -n team-a --force --wait', 'a member cluster is gone for good']))
    .action(async (name, options) => {
      const { terminal } = context;
      const { client, settings } = connection(context);
      const namespace = options.namespace ?? settings.namespace;
      terminal.stderr(`Deleting Application "${name}"\n`);
      await client.deleteApplication(namespace, name, options.force === true);
      if (options.wait !== true) return terminal.stdout(`app "${name}" is being deleted from namespace "${namespace}"\n`);
      terminal.stderr(`Waiting for ${name} to be deleted (timeout ${formatDuration(options.timeout)})\n`);
      const progress = progressOutput(context);
      const outcome = await waitForDeletion({
        client,
        namespace,
        name,
        timeoutMs: options.timeout,
        intervalMs: options.pollInterval,
        clock: context.environment.clock,
        progress,
      });
      if (outcome.outcome === 'failed') throw new Error(outcome.message);
      terminal.stdout(`app "${name}" deleted from namespace "${namespace}"\n`);
      // What a forced delete could not remove stays in its cluster: say where, so it can be cleaned up by hand.
      const orphans = await client.orphans(namespace, name);
      for (const orphan of orphans) terminal.stdout(leftBehind(orphan));
    });
}
