import type picocolors from 'picocolors';
import type { AboutStatus, ApplicationStatus, CleanupProblem, HistoryEntry, CostStatus, RequestCounts, RevisionsStatus, ServiceStatus, TraitStatus, WorkflowStatus } from './application-status.ts';
import { decimal, usdText } from './number-format.ts';
import { goTimeUtc, shortAge } from './time-format.ts';

export type Colors = ReturnType<typeof picocolors.createColors>;

export interface StatusTextOptions {
  /** `--svc NAME`: keep only that component's services. */
  svc?: string | undefined;
  /** The current time; with it, a Health block says how long ago health was read (kubevela#6639: stale health). */
  now?: Date | undefined;
  /** vela's colours (phase, health, trait names); plain text without. */
  colors?: Colors | undefined;
}

type Paint = (text: string) => string;
const unpainted: Paint = (text) => text;

/**
 * `vela status` as v1.3 prints it, byte for byte: About, Workflow (only once there is a run), Services. Anything
 * Flotilla adds comes after, in blocks of its own, so the screen above reads exactly like the KubeVela article's.
 */
export function renderStatusText(status: ApplicationStatus, options: StatusTextOptions = {}): string {
  const colors = options.colors;
  const { services } = onlyService(status, options.svc);
  let text = aboutBlock(status.about, colors?.green ?? unpainted, colors?.yellow ?? unpainted);
  if (status.workflow !== undefined) text += workflowBlock(status.workflow, colors);
  text += `Services:\n\n${services.map((service) => serviceBlock(service, colors)).join('')}`;
  // Flotilla's additions: which revision runs, how fresh the health is, and what the run cost in AWS requests and money.
  const extras = [
    status.revisions && revisionBlock(status.revisions),
    options.now === undefined ? undefined : healthBlock(services, options.now),
    status.cost ? costBlock(status.cost) : status.requests && requestsBlock(status.requests),
    status.cleanup && cleanupBlock(status.cleanup),
    status.history && historyBlock(status.history),
  ];
  for (const block of extras) {
    if (block !== undefined) text += `${text.endsWith('\n\n') ? '' : '\n'}${block}`;
  }
  return text;
}

/** `--svc NAME`: the status with only that component's services; the application's phase stays the whole app's. */
export function onlyService(status: ApplicationStatus, name: string | undefined): ApplicationStatus {
  return name === undefined ? status : { ...status, services: status.services.filter((service) => service.name === name) };
}

function aboutBlock(about: AboutStatus, green: Paint, yellow: Paint): string {
  const phase = (about.status === 'running' ? green : yellow)(about.status);
  const rows = aligned([
    ['Name:', about.name],
    ['Namespace:', about.namespace],
    ['Created at:', goTimeUtc(about.createdAt)],
    ['Status:', phase],
  ]);
  return `About:\n\n${rows}\n`;
}

/**
 * Label and value rows as vela's uitable lays them out: labels padded to the longest, a tab, the value. uitable also
 * pads the last column; the reference screen has no trailing blanks there, and neither has this.
 */
function aligned(rows: [label: string, value: string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}\t${value}\n`).join('');
}

/** A rollout's waves under its step: `wave 1 healthy: beijing-1 (healthy)`, one line per wave. */
function wavesLines(waves: WorkflowStatus['steps'][number]['waves']): string {
  if (waves === undefined) return '';
  const lines = waves.map((wave) => `      wave ${wave.wave} ${wave.phase}: ${wave.clusters.map((c) => `${c.name} (${c.state})`).join(', ')}\n`);
  return ['    waves:\n', ...lines].join('');
}

function workflowBlock(workflow: WorkflowStatus, colors: Colors | undefined): string {
  const phaseColor = (phase: string): Paint =>
    (phase === 'succeeded' ? colors?.green : phase === 'failed' ? colors?.red : colors?.yellow) ?? unpainted;
  // No blank after `id:` and friends, and one after the phase: v1.3's format strings, kept as they were.
  const steps = workflow.steps.map(
    (step) =>
      `  - id:${step.id}\n    name:${step.name}\n    type:${step.type}\n    phase:${phaseColor(step.phase)(step.phase)} \n    message:${step.message}\n${wavesLines(step.waves)}`,
  );
  return [
    'Workflow:\n\n',
    `  mode: ${workflow.mode}\n`,
    // Not in vela's screen: only a rollback limited to the clusters its failed rollout changed has it.
    ...(workflow.clusters === undefined ? [] : [`  clusters: ${workflow.clusters.join(', ')} (only these)\n`]),
    `  finished: ${workflow.finished}\n`,
    `  Suspend: ${workflow.suspend}\n`,
    `  Terminated: ${workflow.terminated}\n`,
    '  Steps\n',
    ...steps,
    '\n',
  ].join('');
}

function serviceBlock(service: ServiceStatus, colors: Colors | undefined): string {
  const health = (service.healthy ? colors?.green : colors?.yellow) ?? unpainted;
  // v1.3 leaves room for an `Env:` after the name, hence the two trailing blanks; message lines continue after a tab.
  const lines = [
    `  - Name: ${service.name}  \n`,
    `    Cluster: ${service.cluster}  Namespace: ${service.namespace}\n`,
    `    Type: ${service.type}\n`,
    `    ${health(service.healthy ? 'Healthy' : 'Unhealthy')} ${health(service.message.replaceAll('\n', '\n\t'))}\n`,
  ];
  // v1.3 writes the traits without line breaks, so they share one line, then ends the service with an empty line of
  // its own: after the traits that closes their line, after `No trait applied` it leaves a blank one.
  const traitName = colors === undefined ? unpainted : (type: string) => colors.bold(colors.white(type));
  lines.push(service.traits.length > 0 ? `    Traits:\n${service.traits.map((trait) => traitText(trait, traitName)).join('')}` : '    No trait applied\n');
  lines.push('\n');
  return lines.join('');
}

function traitText(trait: TraitStatus, name: Paint): string {
  return `      ${trait.healthy ? '✅' : '❌'} ${name(trait.type)}${trait.message === '' ? '' : `: ${trait.message}`}`;
}

/** When the shown services' health was read; the oldest reading, since that is the one that may mislead. */
function healthBlock(services: readonly ServiceStatus[], now: Date): string | undefined {
  const readings = services.flatMap((service) => (service.checkedAt === undefined ? [] : [service.checkedAt]));
  if (readings.length === 0) return undefined;
  const oldest = Math.min(...readings.map((reading) => Date.parse(reading)));
  return `Health:\n\n${aligned([['Checked at:', `${goTimeUtc(new Date(oldest).toISOString())} (${shortAge(now.getTime() - oldest)} ago)`]])}`;
}

/** The revision the clusters run, and the newest when it is another (after a rollback, or before its run starts). */
function revisionBlock(revisions: RevisionsStatus): string | undefined {
  if (revisions.running === undefined) return undefined;
  const rows: [string, string][] = [['Running:', revisions.running]];
  if (revisions.newest !== revisions.running) rows.push(['Newest:', revisions.newest]);
  return `Revision:\n\n${aligned(rows)}`;
}

/** The run's newest transitions, one a line: time, event, step, and why. */
function historyBlock(history: HistoryEntry[]): string {
  const lines = history.map((entry) => `  ${entry.at}  ${entry.event}${entry.step ? ` ${entry.step}` : ''}${entry.message ? `: ${entry.message}` : ''}\n`);
  return `History:\n\n${lines.join('')}`;
}

function cleanupBlock(problems: CleanupProblem[]): string {
  return `Cleanup:\n\n${problems.map((p) => `  - Cluster: ${p.cluster}  Revision: ${p.revision}\n    ${p.message}\n`).join('')}`;
}

function requestsBlock(requests: RequestCounts): string {
  return `Requests:\n\n${aligned([
    ['DynamoDB:', String(requests.dynamodb)],
    ['SQS:', String(requests.sqs)],
  ])}`;
}

/** The run's AWS usage and its estimated price, then the same per target. */
function costBlock(cost: CostStatus): string {
  const { usage, usd } = cost.run;
  const fifo = usage.sqsFifoRequests > 0 ? ` (${decimal(usage.sqsFifoRequests, 0)} FIFO)` : '';
  const summary = aligned([
    ['DynamoDB:', `${decimal(usage.dynamodbRequests, 0)} requests, ${decimal(usage.dynamodbReadUnits, 1)} read and ${decimal(usage.dynamodbWriteUnits, 1)} write units`],
    ['SQS:', `${decimal(usage.sqsRequests, 0)} requests${fifo}`],
    ['Lambda:', `${decimal(usage.lambdaInvocations, 2)} invocations, ${decimal(usage.lambdaGbSeconds, 3)} GB-s`],
    ['Estimated:', `${usdText(usd.total)} at ${cost.prices.region} prices of ${cost.prices.asOf}`],
  ]);
  if (cost.targets.length === 0) return `Cost:\n\n${summary}`;
  const header = ['STEP', 'CLUSTER', 'NAMESPACE', 'DYNAMODB', 'SQS', 'GB-S', 'USD'];
  const rows = cost.targets.map((t) => [
    t.step,
    t.cluster,
    t.namespace,
    decimal(t.usage.dynamodbRequests, 0),
    decimal(t.usage.sqsRequests, 0),
    decimal(t.usage.lambdaGbSeconds, 3),
    usdText(t.usd.total),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const table = [header, ...rows].map((row) => `  ${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('\t')}\n`).join('');
  return `Cost:\n\n${summary}\n  Per target:\n${table}`;
}
