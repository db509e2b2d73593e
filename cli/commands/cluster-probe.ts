import { Command } from '@commander-js/extra-typings';
import { probedMessage } from '../output/cluster-views.ts';
import { connection, type CliContext } from '../context.ts';
import { examples } from '../options.ts';

export function clusterProbeCommand(context: CliContext) {
  return new Command('probe')
    .summary("check a member cluster's API server now")
    .description("Check now that a member cluster's API server answers with the stored credentials (vela cluster probe); the outcome is recorded in ACCEPTED.")
    .argument('<cluster>', 'the cluster')
    .addHelpText('after', examples(['flotilla cluster probe beijing-1']))
    .action(async (name) => {
      const { cluster, finished } = await connection(context).client.probeCluster(name);
      if (!finished) throw new Error(`the probe of cluster ${name} has not finished yet; \`flotilla cluster list\` shows its outcome once it has`);
      if (!cluster.accepted) throw new Error(`failed to connect to cluster ${name}: ${cluster.message ?? 'the API server did not accept the stored credentials'}`);
      context.terminal.stdout(probedMessage(cluster));
    });
}
