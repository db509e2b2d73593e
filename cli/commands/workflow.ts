import { Command } from '@commander-js/extra-typings';
import type { WorkflowOperation } from '../client/api-client.ts';
import { namespaceFlag, workflowMessage } from '../output/application-views.ts';
import { connection, type CliContext } from '../context.ts';
import { examples, namespaceOption } from '../options.ts';

const operations: { operation: WorkflowOperation; description: string }[] = [
  { operation: 'suspend', description: 'Suspend the running workflow: steps not yet started wait until it is resumed.' },
  { operation: 'resume', description: 'Resume a suspended workflow (also ends a suspend step early).' },
  { operation: 'terminate', description: 'Terminate the workflow: running steps fail, later steps never start.' },
  { operation: 'restart', description: 'Run the current revision again from the first step.' },
  { operation: 'rollback', description: 'Run the newest revision whose workflow succeeded, other than the latest run\'s, again.' },
];

/** `workflow suspend|resume|terminate|restart|rollback NAME` (vela workflow ...). */
export function workflowCommand(context: CliContext) {
  const group = new Command('workflow')
    .summary("operate an application's workflow (vela workflow)")
    .description("Operate an application's workflow (vela workflow).");
  for (const { operation, description } of operations) {
    group.addCommand(
      new Command(operation)
        .summary(`${operation} the workflow (vela workflow ${operation})`)
        .description(description)
        .argument('<name>', 'the application')
        .addOption(namespaceOption())
        .addHelpText('after', examples([`flotilla workflow ${operation} example-app`], [`flotilla workflow ${operation} example-app -n team-a`]))
        .action(async (name, options) => {
          const { client, settings } = connection(context);
          const namespace = options.namespace ?? settings.namespace;
          const result = await client.workflow(namespace, name, operation);
          context.terminal.stdout(workflowMessage(operation, name, result.revision));
          // Restart and rollback start a new run, worth following; the other operations change the run in place.
          if (operation === 'restart' || operation === 'rollback') {
            context.terminal.stderr(`Follow it with: flotilla status ${name}${namespaceFlag(namespace, settings.namespace)}\n`);
          }
        }),
    );
  }
  return group.addHelpText('after', examples(['flotilla workflow suspend example-app'], ['flotilla workflow rollback example-app -n team-a']));
}
