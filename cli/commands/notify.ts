import { Command } from '@commander-js/extra-typings';
import type { NotificationTargetView } from '../../contract/notification-schemas.ts';
import { connection, type CliContext } from '../context.ts';
import { examples, namespaceOption } from '../options.ts';

function describeTarget(target: NotificationTargetView): string {
  const signed = target.channel === 'webhook' ? (target.signed ? ', signed' : ', unsigned') : '';
  const last = target.lastDelivery === undefined ? 'nothing posted yet' : `last post ${target.lastDelivery.at}: ${target.lastDelivery.message}`;
  return `${target.namespace}/${target.application} run events go to ${target.channel} at ${target.host}${signed}; ${last}\n`;
}

/** `flotilla notify set|get|rm`: where an application's run events are posted (docs/engine.md#run-events). */
export function notifyCommand(context: CliContext) {
  const set = new Command('set')
    .summary("post an application's run events to Slack or a signed webhook")
    .description('Every run and step transition of the application is posted there. The URL and the secret are stored sealed and never shown again.')
    .argument('<app>', 'the application')
    .option('--slack <url>', 'a Slack incoming webhook URL')
    .option('--webhook <url>', 'a webhook URL; posts carry X-Flotilla-Signature when --secret is given')
    .option('--secret <secret>', 'the HMAC-SHA256 key of --webhook (- reads it from standard input)')
    .addOption(namespaceOption())
    .addHelpText('after', examples(['flotilla notify set example-app --slack https://hooks.slack.com/services/T/B/x'], ['flotilla notify set example-app --webhook https://ops.example.com/flotilla --secret - < key.txt', 'a signed webhook, the key read from standard input']))
    .action(async (app, options) => {
      const { client, settings } = connection(context);
      if ((options.slack === undefined) === (options.webhook === undefined)) throw new Error('give one of --slack URL and --webhook URL');
      if (options.slack !== undefined && options.secret !== undefined) throw new Error('--secret signs --webhook posts; Slack posts are not signed');
      const secret = options.secret === '-' ? context.terminal.readText('-').trim() : options.secret;
      const request = options.slack !== undefined ? { slack: options.slack } : { webhook: options.webhook!, ...(secret === undefined ? {} : { secret }) };
      context.terminal.stdout(describeTarget(await client.setNotificationTarget(options.namespace ?? settings.namespace, app, request)));
    });
  const get = new Command('get')
    .summary("where an application's run events go, and the latest post")
    .argument('<app>', 'the application')
    .addOption(namespaceOption())
    .addHelpText('after', examples(['flotilla notify get example-app']))
    .action(async (app, options) => {
      const { client, settings } = connection(context);
      context.terminal.stdout(describeTarget(await client.notificationTarget(options.namespace ?? settings.namespace, app)));
    });
  const remove = new Command('rm')
    .summary("stop posting an application's run events")
    .argument('<app>', 'the application')
    .addOption(namespaceOption())
    .addHelpText('after', examples(['flotilla notify rm example-app']))
    .action(async (app, options) => {
      const { client, settings } = connection(context);
      const removed = await client.removeNotificationTarget(options.namespace ?? settings.namespace, app);
      context.terminal.stdout(`${removed.namespace}/${removed.application} run events are no longer posted to ${removed.host}.\n`);
    });
  return new Command('notify')
    .summary("post an application's run events to Slack or a signed webhook")
    .description('Where run and step transitions are posted, besides EventBridge and the history in flotilla status.')
    .addCommand(set)
    .addCommand(get)
    .addCommand(remove)
    .addHelpText('after', examples(['flotilla notify set example-app --slack https://hooks.slack.com/services/T/B/x'], ['flotilla notify get example-app']));
}
