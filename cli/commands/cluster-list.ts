import { Command } from '@commander-js/extra-typings';
import { clusterTable } from '../output/cluster-views.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, outputOption } from '../options.ts';

export function clusterListCommand(context: CliContext) {
  return new Command('list')
    .summary('list member clusters')
    .alias('ls')
    .description('List the member clusters (vela cluster list): CLUSTER, TYPE, ENDPOINT, ACCEPTED and LABELS, one label per row.')
    .addOption(outputOption('the clusters'))
    .addHelpText('after', examples(['flotilla cluster list'], ['flotilla cluster list -o json']))
    .action(async (options) => {
      const clusters = await connection(context).client.listClusters();
      if (options.output !== undefined) return printData(context, clusters, options.output);
      if (clusters.length === 0) return context.terminal.stderr('No cluster found.\n');
      context.terminal.stdout(clusterTable(clusters));
    });
}
