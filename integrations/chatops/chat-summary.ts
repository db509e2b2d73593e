import * as z from 'zod';
import { AppPhase, type ApplicationStatus } from '../../lib/core/status/application-status.ts';
import { StepPhase } from '../../lib/core/run/run.ts';
import { ChatSummary } from '../../contract/chatops-schemas.ts';
import { decimal, usdText } from '../../lib/core/status/number-format.ts';

export function summarizeStatus(status: ApplicationStatus): ChatSummary {
  const clusters = new Map<string, ChatSummary['clusters'][number]>();
  for (const service of status.services) {
    const entry = clusters.get(service.cluster) ?? { cluster: service.cluster, healthy: true, components: [] };
    entry.healthy &&= service.healthy;
    entry.components.push({ name: service.name, namespace: service.namespace, healthy: service.healthy, message: service.message });
    clusters.set(service.cluster, entry);
  }
  const { workflow } = status;
  return {
    application: status.about.name,
    namespace: status.about.namespace,
    phase: status.about.status,
    // What the clusters run (the live run's revision), which after a rollback is not the newest.
    revision: status.revisions?.running ?? workflow?.revision,
    clusters: [...clusters.values()].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0)).map((entry) => withClusterCost(entry, status)),
    cost: status.cost && {
      usd: status.cost.run.usd.total,
      dynamodbRequests: status.cost.run.usage.dynamodbRequests,
      sqsRequests: status.cost.run.usage.sqsRequests,
      lambdaGbSeconds: status.cost.run.usage.lambdaGbSeconds,
      prices: `${status.cost.prices.region} prices of ${status.cost.prices.asOf}`,
    },
    workflow:
      workflow === undefined
        ? undefined
        : {
            mode: workflow.mode,
            finished: workflow.finished,
            suspended: workflow.suspend,
            terminated: workflow.terminated,
            message: workflow.message,
            steps: workflow.steps.map((step) => ({ name: step.name, type: step.type, phase: step.phase, message: step.message })),
          },
  };
}

/** A cluster's share of the run's cost: its targets' figures added up (a cluster may have a target in each step). */
function withClusterCost(entry: ChatSummary['clusters'][number], status: ApplicationStatus): ChatSummary['clusters'][number] {
  const targets = status.cost?.targets.filter((target) => target.cluster === entry.cluster) ?? [];
  return targets.length === 0 ? entry : { ...entry, usd: targets.reduce((sum, target) => sum + target.usd.total, 0) };
}

/** One line on what the run cost, for chat. */
export function costLine(cost: NonNullable<ChatSummary['cost']>): string {
  return `cost: ${usdText(cost.usd)} estimated (${decimal(cost.dynamodbRequests, 0)} DynamoDB and ${decimal(cost.sqsRequests, 0)} SQS requests, ${decimal(cost.lambdaGbSeconds, 3)} Lambda GB-s; ${cost.prices})`;
}

const stepMarks: Record<StepPhase, string> = {
  pending: '…',
  running: '▶',
  succeeded: '✓',
  failed: '✗',
  skipped: '–',
  suspending: '⏸',
};

/** The summary as plain text for bots and terminals: one line per cluster and per step. */
export function renderSummaryText(summary: ChatSummary): string {
  const lines = [`${summary.application} (${summary.namespace}): ${summary.phase}${summary.revision === undefined ? '' : `, running revision ${summary.revision}`}`];
  if (summary.clusters.length === 0) lines.push('clusters: none yet');
  for (const cluster of summary.clusters) {
    const components = cluster.components.map((component) => `${component.name} ${component.healthy ? 'healthy' : 'unhealthy'}${component.message === '' ? '' : ` (${component.message})`}`);
    lines.push(`${cluster.cluster}: ${cluster.healthy ? 'healthy' : 'unhealthy'}; ${components.join(', ')}${cluster.usd === undefined ? '' : `; ${usdText(cluster.usd)}`}`);
  }
  if (summary.workflow !== undefined) {
    const { workflow } = summary;
    const state = workflow.terminated ? 'terminated' : workflow.suspended ? 'suspended' : workflow.finished ? 'finished' : 'running';
    lines.push(`workflow (${workflow.mode}): ${state}${workflow.message ? `: ${workflow.message}` : ''}`);
    for (const step of workflow.steps) lines.push(`  ${stepMarks[step.phase]} ${step.name} ${step.phase}${step.message === '' ? '' : `: ${step.message}`}`);
  }
  if (summary.cost !== undefined) lines.push(costLine(summary.cost));
  return `${lines.join('\n')}\n`;
}
