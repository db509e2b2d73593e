import { Command } from '@commander-js/extra-typings';
import { hintFor } from '../client/api-client.ts';
import { detachedMessage, orphanNotes } from '../output/cluster-views.ts';
import { connection, type CliContext } from '../context.ts';
import { examples } from '../options.ts';

export function clusterDetachCommand(context: CliContext) {
  return new Command('detach')
    .summary('detach a member cluster')
    .description('Detach a member cluster (vela cluster detach). Refused while applications have objects there, unless --force.')
    .argument('<cluster>', 'the cluster')
    .option('--force', 'detach anyway: the objects applications have there are left in the cluster, no longer managed')
    .addHelpText('after', examples(['flotilla cluster detach beijing-2'], ['flotilla cluster detach beijing-2 --force', 'the cluster is gone for good; leave its objects behind']))
    .action(async (name, options) => {
      const result = await connection(context)
        .client.detachCluster(name, options.force === true)
        .catch(hintFor('cluster_in_use', 'delete those applications or move them off the cluster first, or detach with --force to leave their objects behind'));
      context.terminal.stdout(detachedMessage(result));
      context.terminal.stderr(orphanNotes(result));
    });
}
