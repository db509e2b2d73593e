import { Command } from '@commander-js/extra-typings';
import { prepareApplication } from '../application-document.ts';
import { appliedLine, applyingLine, deployedLine, namespaceFlag, submittedLine, upMessage } from '../output/application-views.ts';
import { revisionArgument } from '../revision-argument.ts';
import { formatDuration } from '../durations.ts';
import { waitForRevision } from '../wait-for.ts';
import { renderStatus } from '../../lib/core/status/render-status.ts';
import { connection, printData, progressOutput, type CliContext } from '../context.ts';
import { examples, namespaceOption, outputOption, pollIntervalOption, timeoutOption } from '../options.ts';

export function upCommand(context: CliContext) {
  return new Command('up')
    .summary('submit an Application (vela up)')
    .description(
      'Submit an Application (vela up). A changed spec or app.oam.dev/publishVersion becomes a new revision and its workflow runs; with --wait, follow the run to its end.',
    )
    .option('-f, --file <path>', 'the Application, YAML or JSON (- reads standard input)')
    .option('-r, --revision <APP-vN>', 'run a stored revision again instead of submitting a file (vela up APP --revision APP-vN)', revisionArgument)
    .addOption(
      namespaceOption(
        "the namespace for an Application whose metadata names none (default: $FLOTILLA_NAMESPACE, else the namespace saved by flotilla login, else default); one that names another is refused",
      ),
    )
    .option('--wait', "follow the workflow on stderr until it finishes; print the status and exit 0, or the failing step's message and exit 1")
    .addOption(timeoutOption())
    .addOption(pollIntervalOption())
    .addOption(outputOption('the API\'s answer (with --wait: the final status)'))
    .addHelpText(
      'after',
      examples(
        ['flotilla up -f basic.yaml'],
        ['flotilla up -f advanced.yaml --wait --timeout 10m', 'wait for every step and cluster, showing progress'],
        ['cat app.json | flotilla up -f - -n team-a -o json'],
        ['flotilla up -r example-app-v1', 'run the stored revision example-app-v1 again, from its first step'],
      ),
    )
    .action(async (options, command) => {
      const { terminal } = context;
      // command.error: a usage error (exit 2) with the pointer to --help, as commander's own.
      if ((options.file === undefined) === (options.revision === undefined)) command.error('error: give either -f FILE (submit an Application) or -r APP-vN (run a stored revision again)');
      if (options.revision !== undefined) {
        if (options.wait === true) command.error('error: --wait follows a submitted file; follow a re-run revision with flotilla status APP');
        const { revision } = options;
        const { client, settings } = connection(context);
        const namespace = options.namespace ?? settings.namespace;
        const accepted = await client.runRevision(namespace, revision.application, revision.name);
        if (options.output !== undefined) return printData(context, accepted, options.output);
        terminal.stdout(`Application ${revision.application} runs ${accepted.revision} again from the first step\n`);
        terminal.stderr(`Follow it with: flotilla status ${revision.application}${namespaceFlag(namespace, settings.namespace)}\n`);
        return;
      }
      const { client, settings } = connection(context);
      const prepared = prepareApplication(terminal.readText(options.file ?? '-'), {
        namespace: options.namespace ?? settings.namespace,
        explicit: options.namespace !== undefined,
      });
      const quiet = options.output !== undefined;
      if (!quiet) terminal.stderr(applyingLine);
      const result = await client.submitApplication(prepared);
      if (!quiet) terminal.stderr(appliedLine(result));
      // Without --wait nothing is deployed yet (or, unchanged, at all): the answer says what happened instead.
      if (options.wait !== true) {
        if (options.output !== undefined) return printData(context, result, options.output);
        return terminal.stdout(upMessage(submittedLine(result), result, prepared.components, settings.namespace));
      }

      if (!quiet && result.outcome === 'unchanged') terminal.stderr(`${submittedLine(result)}\n`);
      terminal.stderr(`Waiting for ${result.revision} (timeout ${formatDuration(options.timeout)})\n`);
      const progress = progressOutput(context);
      const outcome = await waitForRevision({
        client,
        namespace: result.namespace,
        name: result.name,
        revision: result.revision,
        timeoutMs: options.timeout,
        intervalMs: options.pollInterval,
        clock: context.environment.clock,
        progress,
      });
      if (outcome.outcome === 'failed') throw new Error(outcome.message);
      if (options.output !== undefined) return terminal.stdout(renderStatus(outcome.status, options.output));
      terminal.stdout(renderStatus(outcome.status, 'text', { colors: terminal.colors, now: context.environment.clock.date() }));
      terminal.stdout(`\n${upMessage(deployedLine, result, prepared.components, settings.namespace)}`);
    });
}
