import { Command, Option } from '@commander-js/extra-typings';
import { dryRun } from '../../lib/core/dry-run/dry-run.ts';
import { PlacementError } from '../../lib/core/errors/placement-error.ts';
import { dryRunSummary } from '../output/dry-run-summary.ts';
import { formatData } from '../output/format.ts';
import type { Terminal } from '../output/terminal.ts';
import { examples } from '../options.ts';
import { redactSecretValues } from '../../lib/core/secret/secret-values.ts';

export function dryRunCommand(terminal: Terminal) {
  return new Command('dry-run')
    .summary('plan an Application offline')
    .description('Plan an Application offline and show what each workflow step would apply in which cluster and namespace.')
    .requiredOption('-f, --file <path>', 'the Application, YAML or JSON (- reads standard input)')
    .option('--clusters <path>', 'the cluster registry: a YAML or JSON list of {name, labels}; without it, the clusters named in topology policies are assumed, with no labels')
    .addOption(new Option('-o, --output <format>', 'print the plan as data: a list of {step, cluster, namespace, resources} in workflow order').choices(['yaml', 'json'] as const))
    .option('--revision <revision>', 'the app revision written into the app.oam.dev/appRevision label (default: <app>-v1)')
    .addHelpText(
      'after',
      examples(
        ['flotilla dry-run -f advanced.yaml --clusters clusters.yaml'],
        ['flotilla dry-run -f basic.yaml -o yaml', 'without --clusters: the clusters the topologies name, with no labels'],
      ),
    )
    .action((options) => {
      let result;
      try {
        result = dryRun({
          application: terminal.readText(options.file),
          clusters: options.clusters === undefined ? undefined : terminal.readText(options.clusters),
          revision: options.revision,
        });
      } catch (error) {
        if (error instanceof PlacementError && options.clusters === undefined) {
          terminal.stderr('No --clusters given, so no cluster has labels and label selectors match nothing; pass --clusters with a labelled registry.\n');
        }
        throw error;
      }
      if (result.clustersAssumed) {
        const names = result.clusters.map((cluster) => cluster.name).join(', ');
        terminal.stderr(`No --clusters given: assuming the clusters the topologies name (${names === '' ? 'none' : names}), with no labels.\n`);
      }
      // Printed plans end up in CI logs: Secret values show as `<redacted>`, as in every API answer.
      terminal.stdout(options.output === undefined ? dryRunSummary(result, terminal.colors) : formatData(redactSecretValues(result.entries), options.output));
    });
}
