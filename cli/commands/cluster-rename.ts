import { Command } from '@commander-js/extra-typings';
import { renamedMessage } from '../output/cluster-views.ts';
import { connection, type CliContext } from '../context.ts';
import { examples } from '../options.ts';

export function clusterRenameCommand(context: CliContext) {
  return new Command('rename')
    .summary('rename a member cluster')
    .description('Rename a member cluster (vela cluster rename). Refused while applications have objects there; topology policies naming the old name are not changed.')
    .argument('<old>', 'the current name')
    .argument('<new>', 'the new name (a DNS-1123 label, not local)')
    .addHelpText('after', examples(['flotilla cluster rename us-west-1 aws-us-west-1']))
    .action(async (from, to) => {
      const cluster = await connection(context).client.renameCluster(from, to);
      context.terminal.stdout(renamedMessage(from, cluster));
    });
}
