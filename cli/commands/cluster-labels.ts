import { Command } from '@commander-js/extra-typings';
import { clusterChangeNotes, labelsChangedMessage } from '../output/cluster-views.ts';
import { connection, type CliContext } from '../context.ts';
import { examples, labelKeysArgument, labelsArgument } from '../options.ts';

/** `cluster labels add|del`: applications whose label selectors the change affects run again. */
export function clusterLabelsCommand(context: CliContext) {
  const add = new Command('add')
    .summary('add or change cluster labels')
    .description('Add labels to a member cluster, or change their values (vela cluster labels add).')
    .argument('<cluster>', 'the cluster')
    .argument('<labels>', 'key=value separated by commas', labelsArgument)
    .addHelpText('after', examples(['flotilla cluster labels add us-west-1 provider=AWS'], ['flotilla cluster labels add beijing-1 region=cn-north,tier=edge']))
    .action(async (name, labels) => {
      const change = await connection(context).client.addLabels(name, labels);
      context.terminal.stdout(labelsChangedMessage(change.cluster, context.terminal.colors));
      context.terminal.stderr(clusterChangeNotes(change));
    });
  const del = new Command('del')
    .summary('remove cluster labels')
    .aliases(['delete', 'remove'])
    .description('Remove labels from a member cluster (vela cluster labels del); every key must be there, or nothing changes.')
    .argument('<cluster>', 'the cluster')
    .argument('<keys>', 'label keys separated by commas', labelKeysArgument)
    .addHelpText('after', examples(['flotilla cluster labels del us-west-1 provider'], ['flotilla cluster labels del beijing-1 region,tier']))
    .action(async (name, keys) => {
      const change = await connection(context).client.removeLabels(name, keys);
      context.terminal.stdout(labelsChangedMessage(change.cluster, context.terminal.colors));
      context.terminal.stderr(clusterChangeNotes(change));
    });
  return new Command('labels')
    .summary('manage cluster labels')
    .description('Manage the labels of member clusters, which topology policies select clusters by (clusterLabelSelector).')
    .addCommand(add)
    .addCommand(del)
    .addHelpText('after', examples(['flotilla cluster labels add us-west-1 provider=AWS'], ['flotilla cluster labels del us-west-1 provider']));
}
