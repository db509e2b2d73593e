import { Command } from '@commander-js/extra-typings';
import { dirname, resolve } from 'node:path';
import { hintFor } from '../client/api-client.ts';
import { clusterChangeNotes, joinedMessage } from '../output/cluster-views.ts';
import { flattenKubeconfig, KubeconfigError } from '../kubeconfig-flatten.ts';
import { connection, type CliContext } from '../context.ts';
import { examples, labelsArgument, namespaceListArgument } from '../options.ts';

export function clusterJoinCommand(context: CliContext) {
  return new Command('join')
    .summary('join a member cluster by its kubeconfig')
    .description(
      'Join a member cluster (vela cluster join). The kubeconfig is reduced to one context and its file references are inlined (kubectl config view --flatten --minify) before it is uploaded; the API probes the cluster with it and stores the credentials sealed.',
    )
    .argument('<kubeconfig>', 'the kubeconfig file (- reads standard input)')
    .option('-n, --name <name>', "the cluster's name in Flotilla (default: the kubeconfig's name for the context's cluster)")
    .option('--context <context>', 'the kubeconfig context to use (default: current-context, or the only one)')
    .option('--labels <labels>', 'cluster labels, key=value separated by commas', labelsArgument)
    .option('--create-namespace <namespace>', 'create this namespace in the member cluster right away')
    .option('--creatable-namespaces <namespaces>', 'the only namespaces Flotilla may create there (topology createNamespace), separated by commas (default: no limit)', namespaceListArgument)
    .option('--overwrite', "replace the credentials of a cluster already joined under this name (rotation); its labels stay unless --labels is given")
    .option('--insecure-skip-tls-verify', "accept a kubeconfig with insecure-skip-tls-verify: the API server's certificate is then not verified")
    .addHelpText(
      'after',
      examples(
        ['flotilla cluster join beijing-1.kubeconfig --name beijing-1'],
        ['flotilla cluster join ~/.kube/config --context us-west-1 --name us-west-1 --labels provider=AWS,region=us-west'],
        ['flotilla cluster join beijing-1.kubeconfig --name beijing-1 --creatable-namespaces team-a,team-b', 'Flotilla may create only these namespaces there'],
        ['flotilla cluster join rotated.kubeconfig --name us-west-1 --overwrite', 'rotate the credentials of a joined cluster'],
      ),
    )
    .action(async (file, options) => {
      const { terminal, environment } = context;
      let flat;
      try {
        flat = flattenKubeconfig(terminal.readText(file), {
          context: options.context,
          baseDir: file === '-' ? process.cwd() : dirname(resolve(file)),
          readFile: environment.readBytes,
        });
      } catch (err) {
        if (err instanceof KubeconfigError) throw new KubeconfigError(`${file === '-' ? 'standard input' : file}: ${err.message}`);
        throw err;
      }
      const { client } = connection(context);
      const result = await client
        .joinCluster({
          kubeconfig: flat.text,
          name: options.name,
          labels: options.labels,
          createNamespace: options.createNamespace,
          creatableNamespaces: options.creatableNamespaces,
          overwrite: options.overwrite,
          insecureSkipTlsVerify: options.insecureSkipTlsVerify,
        })
        .catch(hintFor('already_exists', 'join again with --overwrite to replace its credentials'));
      terminal.stdout(joinedMessage(result));
      terminal.stderr(clusterChangeNotes(result));
    });
}
