import { Command } from '@commander-js/extra-typings';
import { renderStatus } from '../../lib/core/status/render-status.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption } from '../options.ts';
import { UsageError } from '../usage-error.ts';
import { endpointsText, treeText } from '../output/query-views.ts';
import { untilAnswered } from '../query-poll.ts';

export function statusCommand(context: CliContext) {
  return new Command('status')
    .summary("show an application's status (vela status)")
    .description(
      "Show an application's status (vela status): About, Workflow and Services in vela v1.3's layout, then when health was last read.",
    )
    .argument('<name>', 'the application')
    .addOption(namespaceOption())
    .option('-s, --svc <component>', "only this component's services")
    .option('--tree', 'cluster -> objects with kind, name, health and drift (a server-side dry run of what was applied, in each cluster)')
    .option('--endpoint', 'the addresses per cluster and component: load balancers, node ports, Ingress hosts')
    .addOption(outputOption('the status'))
    .addHelpText(
      'after',
      examples(['flotilla status example-app'], ['flotilla status example-app --svc hello-world-server'], ['flotilla status example-app -n team-a -o json'], ['flotilla status example-app --tree'], ['flotilla status example-app --endpoint']),
    )
    .action(async (name, options) => {
      const { client, settings } = connection(context);
      const namespace = options.namespace ?? settings.namespace;
      if (options.tree === true && options.endpoint === true) throw new UsageError('choose one of --tree and --endpoint');
      if ((options.tree === true || options.endpoint === true) && options.svc !== undefined) throw new UsageError('--svc does not go with --tree or --endpoint');
      if (options.tree === true) {
        const tree = await client.tree(namespace, name);
        return options.output === undefined ? context.terminal.stdout(treeText(tree, context.terminal.colors)) : printData(context, tree, options.output);
      }
      if (options.endpoint === true) {
        const endpoints = await untilAnswered(client, await client.endpoints(namespace, name), context.environment.clock);
        return options.output === undefined ? context.terminal.stdout(endpointsText(endpoints)) : printData(context, endpoints, options.output);
      }
      const status = await client.status(namespace, name, options.svc);
      if (options.svc !== undefined && status.services.length === 0) {
        throw new Error(`${name} has no service of a component named ${options.svc} (yet)`);
      }
      if (options.output !== undefined) return context.terminal.stdout(renderStatus(status, options.output));
      context.terminal.stdout(renderStatus(status, 'text', { colors: context.terminal.colors, now: context.environment.clock.date() }));
    });
}
