import { Command } from '@commander-js/extra-typings';
import { creatableNamespacesMessage } from '../output/cluster-views.ts';
import { connection, type CliContext } from '../context.ts';
import { examples, namespaceListArgument } from '../options.ts';
import { UsageError } from '../usage-error.ts';

/** `cluster namespaces`: the admin-only list of namespaces Flotilla may create in a member cluster. */
export function clusterNamespacesCommand(context: CliContext) {
  return new Command('namespaces')
    .summary('show or set the namespaces Flotilla may create in a cluster')
    .description(
      'Show or set (admins only) the namespaces Flotilla may create in a member cluster: a topology with createNamespace for any other namespace is refused at submit and fails when its step starts. Namespaces that exist are not touched.',
    )
    .argument('<cluster>', 'the cluster')
    .argument('[namespaces]', 'namespace names separated by commas; replaces the list', namespaceListArgument)
    .option('--any', 'lift the limit: Flotilla may create any namespace there')
    .option('--none', 'Flotilla may create no namespace there')
    .addHelpText(
      'after',
      examples(
        ['flotilla cluster namespaces beijing-1', 'show the list'],
        ['flotilla cluster namespaces beijing-1 team-a,team-b'],
        ['flotilla cluster namespaces beijing-1 --any'],
      ),
    )
    .action(async (name, namespaces, options) => {
      const given = [namespaces !== undefined, options.any === true, options.none === true].filter(Boolean).length;
      if (given > 1) throw new UsageError('give namespaces, --any or --none, not more than one of them');
      const { client } = connection(context);
      const cluster =
        given === 0 ? await client.getCluster(name) : await client.setCreatableNamespaces(name, options.any ? null : options.none ? [] : namespaces!);
      context.terminal.stdout(creatableNamespacesMessage(cluster));
    });
}
