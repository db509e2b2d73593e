import { Command } from '@commander-js/extra-typings';
import { renderStatus } from '../../lib/core/status/render-status.ts';
import { connection, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption } from '../options.ts';

export function statusCommand(context: CliContext) {
  return new Command('status')
    .summary("show an application's status (vela status)")
    .description(
      "Show an application's status (vela status): About, Workflow and Services in vela v1.3's layout, then when health was last read.",
    )
    .argument('<name>', 'the application')
    .addOption(namespaceOption())
    .option('-s, --svc <component>', "only this component's services")
    .addOption(outputOption('the status'))
    .addHelpText(
      'after',
      examples(['flotilla status example-app'], ['flotilla status example-app --svc hello-world-server'], ['flotilla status example-app -n team-a -o json']),
    )
    .action(async (name, options) => {
      const { client, settings } = connection(context);
      const namespace = options.namespace ?? settings.namespace;
      const status = await client.status(namespace, name, options.svc);
      if (options.svc !== undefined && status.services.length === 0) {
        throw new Error(`${name} has no service of a component named ${options.svc} (yet)`);
      }
      if (options.output !== undefined) return context.terminal.stdout(renderStatus(status, options.output));
      context.terminal.stdout(renderStatus(status, 'text', { colors: context.terminal.colors, now: context.environment.clock.date() }));
    });
}
