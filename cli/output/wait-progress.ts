import type { ApplicationStatus, WorkflowStepStatus } from '../../lib/core/status/application-status.ts';

/** One line of `up --wait` progress; `key` says which thing it is about, so a renderer can tell what changed. */
export interface ProgressLine {
  key: string;
  text: string;
  state: 'active' | 'done' | 'failed' | 'paused';
}

export type Assessment =
  | { outcome: 'waiting'; lines: ProgressLine[] }
  | { outcome: 'succeeded'; lines: ProgressLine[] }
  | { outcome: 'failed'; lines: ProgressLine[]; message: string };

/**
 * Where the run of `revision` stands in a status: still waiting (not started yet, running, suspended), done, or failed
 * with the reason `up --wait` ends on. Lines: the application, each started step, each cluster's services.
 */
export function assessRevision(status: ApplicationStatus, revision: string): Assessment {
  const app = status.about;
  const workflow = status.workflow;
  if (app.status === 'deleting') {
    return { outcome: 'failed', lines: [appLine(revision, 'deleting', 'failed')], message: `${app.name} is being deleted` };
  }
  if (workflow === undefined || workflow.revision !== revision) {
    if (workflow !== undefined && revisionNumber(workflow.revision) > revisionNumber(revision)) {
      return {
        outcome: 'failed',
        lines: [appLine(revision, `replaced by ${workflow.revision}`, 'failed')],
        message: `${revision} was replaced by ${workflow.revision} before its workflow finished`,
      };
    }
    return { outcome: 'waiting', lines: [appLine(revision, 'waiting for its workflow to start', 'active')] };
  }

  const failure = workflow.finished ? failureOf(status, revision) : undefined;
  let settled: ProgressLine['state'] = workflow.suspend ? 'paused' : 'active';
  if (workflow.finished) settled = failure === undefined ? 'done' : 'failed';
  const unhealthy: ProgressLine['state'] = failure === undefined ? 'active' : 'failed';
  const lines = [
    appLine(revision, app.status, settled),
    ...workflow.steps.map(stepLine),
    ...status.services.map(
      (service): ProgressLine => ({
        key: `service:${service.cluster}/${service.namespace}/${service.name}`,
        text: `${service.cluster}/${service.namespace} ${service.name}: ${service.healthy ? 'Healthy' : 'Unhealthy'} ${firstLine(service.message)}`.trimEnd(),
        state: service.healthy ? 'done' : unhealthy,
      }),
    ),
  ];
  if (workflow.suspend && !workflow.finished) {
    lines.push({ key: 'suspended', text: `suspended until resumed: flotilla workflow resume ${app.name} -n ${app.namespace}`, state: 'paused' });
  }
  if (failure !== undefined) return { outcome: 'failed', lines, message: failure };
  return workflow.finished ? { outcome: 'succeeded', lines } : { outcome: 'waiting', lines };
}

/** Why a finished run did not succeed; undefined when it did. */
function failureOf(status: ApplicationStatus, revision: string): string | undefined {
  const workflow = status.workflow;
  if (workflow?.terminated === true) return `the workflow of ${revision} was terminated`;
  const failedStep = workflow?.steps.find((step) => step.phase === 'failed');
  if (failedStep !== undefined) {
    const { name, message } = failedStep;
    // The engine's messages often name the step already (`step deploy-aws timed out ...`).
    if (message.startsWith(`step ${name} `)) return message;
    return `step ${name} failed${message === '' ? '' : `: ${message}`}`;
  }
  if (status.about.status === 'workflowFailed') return workflow?.message ?? `the workflow of ${revision} failed`;
  return undefined;
}

const stepStates: Record<WorkflowStepStatus['phase'], ProgressLine['state']> = {
  pending: 'active',
  running: 'active',
  suspending: 'paused',
  succeeded: 'done',
  skipped: 'done',
  failed: 'failed',
};

function appLine(revision: string, phase: string, state: ProgressLine['state']): ProgressLine {
  return { key: 'app', text: `${revision}: ${phase}`, state };
}

function stepLine(step: WorkflowStepStatus): ProgressLine {
  const state = stepStates[step.phase];
  const message = step.message === '' ? '' : `: ${firstLine(step.message)}`;
  return { key: `step:${step.id}`, text: `step ${step.name} (${step.type}): ${step.phase}${message}`, state };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** N of `<name>-vN`; 0 when the name has no such suffix. */
export function revisionNumber(revision: string): number {
  const match = /-v(\d+)$/.exec(revision);
  return match === null ? 0 : Number(match[1]);
}
