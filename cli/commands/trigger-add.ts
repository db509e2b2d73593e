import { Command, Option } from '@commander-js/extra-typings';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../usage-error.ts';
import { addedMessage, filterFlags, generateSecret, needsSecret, triggerFromFlags, type FilterFlag } from '../trigger-cli.ts';
import type { TriggerRequest } from '../client/api-client.ts';
import { connection, printData, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption } from '../options.ts';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')];

export function triggerAddCommand(context: CliContext) {
  const command = new Command('add')
    .summary('add a CI trigger to an application')
    .description(
      "Add a trigger: which source (github, gitlab, generic webhook, eventbridge), which events (--on, with filters), which component, and how to form its image (--image 'ghcr.io/org/app:${sha}'). Webhook triggers print their URL and, unless --secret is given, a generated secret, once.",
    )
    .argument('<app>', 'the application')
    .addOption(namespaceOption())
    .addOption(new Option('--source <source>', 'where events come from').choices(['github', 'gitlab', 'generic', 'eventbridge'] as const))
    .option('--component <name>', 'the component whose image a matching event sets')
    .option('--on <kind>', 'an event kind: push, tag, package, workflow, pipeline, image, codepipeline, codebuild (repeat or separate with commas)', collect)
    .option('--image <template>', 'the image, with ${variables} of the event: ${sha}, ${shortSha}, ${tag}, ${branch}, ${image}, ...')
    .option('--secret <secret>', 'the webhook secret (- reads it from standard input); default: a generated one, printed once')
    .option('--description <text>', 'what the trigger is for')
    .option('-f, --file <path>', 'the whole trigger as YAML or JSON (source, component, image, events, ...) instead of the flags; - for standard input')
    .addOption(outputOption('the trigger'));
  for (const flag of Object.keys(filterFlags) as FilterFlag[]) {
    command.option(`--${flag} <pattern>`, `only events of this ${flag} (* matches anything; repeat or separate with commas)`, collect);
  }
  return command
    .addHelpText(
      'after',
      examples(
        ["flotilla trigger add example-app --source github --component hello-world-server --on push --branch main --image 'ghcr.io/org/hello:${shortSha}'"],
        ['flotilla trigger add example-app --source eventbridge --component hello-world-server --on image --repository hello', 'ECR pushes deploy the pushed image'],
        ['flotilla trigger add example-app -f trigger.yaml --secret - < secret.txt'],
      ),
    )
    .action(async (app, options) => {
      const { terminal } = context;
      const { client, settings } = connection(context);
      const given = options as typeof options & Partial<Record<FilterFlag, string[]>>;
      let request: Omit<TriggerRequest, 'secret'> & { secret?: string };
      if (options.file !== undefined) {
        if (options.on !== undefined || options.source !== undefined) throw new UsageError('-f takes the whole trigger: leave out --source, --on and the filters');
        request = parseYaml(terminal.readText(options.file)) as typeof request;
      } else {
        if (options.source === undefined || options.component === undefined) throw new UsageError('name --source and --component (or give the whole trigger with -f)');
        request = triggerFromFlags({
          source: options.source,
          component: options.component,
          on: options.on ?? [],
          image: options.image,
          description: options.description,
          filters: Object.fromEntries((Object.keys(filterFlags) as FilterFlag[]).map((flag) => [flag, given[flag]])),
        });
      }
      const givenSecret = options.secret === '-' ? terminal.readText('-').trim() : (options.secret ?? request.secret);
      const generated = givenSecret === undefined && needsSecret(String(request.source)) ? generateSecret() : undefined;
      const secret = givenSecret ?? generated;
      const trigger = await client.addTrigger(options.namespace ?? settings.namespace, app, { ...request, ...(secret === undefined ? {} : { secret }) });
      if (options.output !== undefined) return printData(context, generated === undefined ? trigger : { ...trigger, secret: generated }, options.output);
      terminal.stdout(addedMessage(trigger, generated));
    });
}
