import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { queryLimits } from '../../lib/core/query/query-limits.ts';
import { parseGoDuration } from '../../lib/core/workflow/go-duration.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption } from '../options.ts';
import { logsText } from '../output/query-views.ts';
import { untilAnswered } from '../query-poll.ts';

function tailArgument(text: string): number {
  const lines = Number(text);
  if (!/^\d+$/.test(text) || lines < 1 || lines > queryLimits.maxTailLines) throw new InvalidArgumentError(`expected a number of lines from 1 to ${queryLimits.maxTailLines}`);
  return lines;
}

function sinceArgument(text: string): string {
  if (parseGoDuration(text) === undefined) throw new InvalidArgumentError('expected a duration such as 30s, 10m or 1h');
  return text;
}

export function logsCommand(context: CliContext) {
  return new Command('logs')
    .summary("a snapshot of an application's container logs (vela logs)")
    .description(
      `Print the last lines of each container of the application's pods, read by the applier with the cluster's stored credentials. A snapshot: Flotilla runs on Lambda, which answers once, so there is no --follow; the commands that follow with a kubeconfig of your own are printed on stderr. At most ${queryLimits.maxPodsPerPart} pods per cluster and ${queryLimits.maxLogBytesPerContainer / 1024} KiB per container.`,
    )
    .argument('<name>', 'the application')
    .addOption(namespaceOption())
    .option('-c, --cluster <cluster>', 'only this cluster')
    .option('--component <component>', 'only this component')
    .option('--tail <lines>', `lines per container (default ${queryLimits.defaultTailLines}, at most ${queryLimits.maxTailLines})`, tailArgument)
    .option('--since <duration>', 'only lines newer than this, e.g. 10m', sinceArgument)
    .addOption(outputOption('the logs'))
    .addHelpText('after', examples(['flotilla logs example-app'], ['flotilla logs example-app --cluster beijing-1 --component hello-world-server --tail 20 --since 10m']))
    .action(async (name, options) => {
      const { client, settings } = connection(context);
      const namespace = options.namespace ?? settings.namespace;
      const first = await client.logs(namespace, name, { cluster: options.cluster, component: options.component, tail: options.tail, since: options.since });
      const view = await untilAnswered(client, first, context.environment.clock);
      if (options.output !== undefined) return printData(context, view, options.output);
      context.terminal.stdout(logsText(view, context.terminal.colors));
      if (view.follow.length > 0) {
        context.terminal.stderr(`No follow through Flotilla (Lambda answers once). To follow with a kubeconfig of your own:\n${view.follow.map((command) => `  ${command}\n`).join('')}`);
      }
    });
}
