import type { StepPhase } from '../../lib/core/run/run.ts';
import { costLine, renderSummaryText } from './chat-summary.ts';
import { usdText } from '../../lib/core/status/number-format.ts';
import { type ChatSummary } from '../../contract/chatops-schemas.ts';

// Slack Block Kit (api.slack.com/reference/block-kit/blocks), the few block types a status needs, within Slack's
// limits: 50 blocks a message, header text 150 characters, section text 3000, 10 fields of 2000 each.

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

/** A message as a slash command's answer or a response_url post carries it. */
export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  /** The notification text, and what clients without Block Kit show. */
  text: string;
  blocks: Block[];
}

const limits = { blocks: 50, header: 150, section: 3000, field: 2000, fields: 10 };

/** mrkdwn's three control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const mrkdwn = (text: string, max = limits.section): TextObject => ({ type: 'mrkdwn', text: clip(text, max) });
const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: clip(text, limits.header) } });

const healthMark = (healthy: boolean) => (healthy ? ':white_check_mark:' : ':x:');
const stepMarks: Record<StepPhase, string> = {
  pending: ':hourglass_flowing_sand:',
  running: ':arrows_counterclockwise:',
  suspending: ':double_vertical_bar:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  skipped: ':fast_forward:',
};

/** `/flotilla status APP`: the application's phase and revision, each cluster's health, the workflow's steps. */
export function statusMessage(summary: ChatSummary): SlackMessage {
  const name = escapeMrkdwn(summary.application);
  const blocks: Block[] = [
    header(`${summary.application}: ${summary.phase}`),
    {
      type: 'section',
      fields: [
        mrkdwn(`*Namespace*\n${escapeMrkdwn(summary.namespace)}`),
        mrkdwn(`*Running revision*\n${summary.revision === undefined ? '–' : escapeMrkdwn(summary.revision)}`),
      ],
    },
    { type: 'divider' },
  ];
  if (summary.clusters.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn(`*Clusters*\nNo cluster reports ${name} yet.`) });
  } else {
    blocks.push({ type: 'section', text: mrkdwn(`*Clusters* (${summary.clusters.filter((c) => c.healthy).length} of ${summary.clusters.length} healthy)`) });
    const fields = summary.clusters.map((cluster) => {
      const components = cluster.components.map(
        (component) => `${healthMark(component.healthy)} ${escapeMrkdwn(component.name)}${component.message === '' ? '' : ` ${escapeMrkdwn(component.message)}`}`,
      );
      const cost = cluster.usd === undefined ? '' : ` · ${usdText(cluster.usd)}`;
      return mrkdwn(`${healthMark(cluster.healthy)} *${escapeMrkdwn(cluster.cluster)}*${cost}\n${components.join('\n')}`, limits.field);
    });
    for (let start = 0; start < fields.length; start += limits.fields) blocks.push({ type: 'section', fields: fields.slice(start, start + limits.fields) });
  }
  if (summary.workflow !== undefined) {
    const { workflow } = summary;
    const state = workflow.terminated ? 'terminated' : workflow.suspended ? 'suspended' : workflow.finished ? 'finished' : 'running';
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'section', text: mrkdwn(`*Workflow* (${escapeMrkdwn(workflow.mode)}): ${state}${workflow.message ? `\n${escapeMrkdwn(workflow.message)}` : ''}`) });
    const lines = workflow.steps.map(
      (step) => `${stepMarks[step.phase]} *${escapeMrkdwn(step.name)}* (${escapeMrkdwn(step.type)}) ${step.phase}${step.message === '' ? '' : `: ${escapeMrkdwn(step.message)}`}`,
    );
    for (const chunk of chunkLines(lines, limits.section)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  }
  if (summary.cost !== undefined) blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(costLine(summary.cost).replace(/^cost: /, 'Cost of this run: ')))] });
  blocks.push({ type: 'context', elements: [mrkdwn(`Flotilla · \`/flotilla status ${name} -n ${escapeMrkdwn(summary.namespace)}\``)] });
  return { response_type: 'ephemeral', text: renderSummaryText(summary), blocks: fitBlocks(blocks) };
}

export interface ListedApplication {
  namespace: string;
  name: string;
  revision: string;
  deleting: boolean;
}

/** `/flotilla ls`: the applications the chat integration may read. */
export function listMessage(applications: readonly ListedApplication[], namespace: string | undefined): SlackMessage {
  const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
  if (applications.length === 0) {
    return { response_type: 'ephemeral', text: `No application${where}.`, blocks: [{ type: 'section', text: mrkdwn(`No application${escapeMrkdwn(where)}.`) }] };
  }
  const lines = applications.map(
    (app) => `• *${escapeMrkdwn(app.name)}* (${escapeMrkdwn(app.namespace)}) ${escapeMrkdwn(app.revision)}${app.deleting ? ' _deleting_' : ''}`,
  );
  const blocks: Block[] = [header(`Applications${where}`), ...chunkLines(lines, limits.section).map((chunk): Block => ({ type: 'section', text: mrkdwn(chunk) }))];
  const text = applications.map((app) => `${app.namespace}/${app.name} ${app.revision}`).join('\n');
  return { response_type: 'ephemeral', text, blocks: fitBlocks(blocks) };
}

/** Usage, with what went wrong first when the command was not understood. */
export function helpMessage(command: string, problem?: string): SlackMessage {
  const usage = [
    `\`${command} status APP [-n NAMESPACE]\`: health per cluster and the workflow's steps`,
    `\`${command} ls [-n NAMESPACE]\`: the applications`,
    `\`${command} help\`: this`,
  ];
  const text = `${problem === undefined ? '' : `${problem}\n`}${usage.join('\n')}`;
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: mrkdwn(problem === undefined ? usage.join('\n') : `${escapeMrkdwn(problem)}\n\n${usage.join('\n')}`) }] };
}

/** A short message: acknowledgements, refusals. */
export function noticeMessage(text: string): SlackMessage {
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: mrkdwn(escapeMrkdwn(text)) }] };
}

/** Lines joined into chunks that each fit one section. */
function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines.map((entry) => clip(entry, max))) {
    if (current !== '' && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/** At most 50 blocks: the last one says how much was left out. */
function fitBlocks(blocks: Block[]): Block[] {
  if (blocks.length <= limits.blocks) return blocks;
  const kept = blocks.slice(0, limits.blocks - 1);
  return [...kept, { type: 'context', elements: [mrkdwn(`${blocks.length - kept.length} more blocks left out; GET the status from the API for all of it.`)] }];
}
