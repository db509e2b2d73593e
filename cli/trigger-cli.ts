import { randomBytes } from 'node:crypto';
import { renderTable } from './output/table.ts';
import { UsageError } from './usage-error.ts';
import type { Trigger, TriggerRequest } from './client/api-client.ts';
import { EventRule, filtersOf, isWebhookSource, TriggerSource, type RuleFilter } from '../lib/core/trigger/trigger-rule.ts';

/** The filter flags of `flotilla trigger add`, each setting one filter on the rules that have it. */
export const filterFlags = {
  branch: 'branches',
  tag: 'tags',
  package: 'packages',
  workflow: 'workflows',
  repository: 'repositories',
  pipeline: 'pipelines',
  project: 'projects',
} as const satisfies Record<string, RuleFilter>;
export type FilterFlag = keyof typeof filterFlags;

export interface TriggerFlags {
  source: string;
  component: string;
  on: string[];
  image?: string | undefined;
  description?: string | undefined;
  filters: Partial<Record<FilterFlag, string[]>>;
}

/**
 * The trigger `flotilla trigger add` asks for: one rule per `--on` kind, each with the filter flags it takes
 * (`--branch` goes to push, workflow and pipeline rules). A filter no rule takes is a usage error, not silently lost.
 */
export function triggerFromFlags(flags: TriggerFlags): Omit<TriggerRequest, 'secret'> {
  const source = TriggerSource.safeParse(flags.source);
  if (!source.success) throw new UsageError(`--source must be one of ${TriggerSource.options.join(', ')}, not ${flags.source}`);
  if (flags.on.length === 0) throw new UsageError('name the events with --on (push, tag, package, workflow, pipeline, image, codepipeline, codebuild)');
  const used = new Set<FilterFlag>();
  const events = flags.on.map((kind) => {
    const rule: Record<string, unknown> = { on: kind };
    for (const [flag, values] of Object.entries(flags.filters) as [FilterFlag, string[] | undefined][]) {
      if (values === undefined || values.length === 0) continue;
      const field = filterFlags[flag];
      const candidate = { ...rule, [field]: values };
      if (EventRule.safeParse(candidate).success) {
        rule[field] = values;
        used.add(flag);
      }
    }
    const parsed = EventRule.safeParse(rule);
    if (!parsed.success) throw new UsageError(`--on ${kind}: not an event kind (push, tag, package, workflow, pipeline, image, codepipeline, codebuild)`);
    return parsed.data;
  });
  for (const flag of Object.keys(flags.filters) as FilterFlag[]) {
    if ((flags.filters[flag]?.length ?? 0) > 0 && !used.has(flag)) throw new UsageError(`--${flag} filters none of the events given with --on (${flags.on.join(', ')})`);
  }
  return {
    source: source.data,
    component: flags.component,
    events,
    ...(flags.image === undefined ? {} : { image: flags.image }),
    ...(flags.description === undefined ? {} : { description: flags.description }),
  };
}

/** A secret for a webhook whose creator brought none: 32 random bytes, hex, as `openssl rand -hex 32` makes them. */
export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}

/** `push(main,release/*) tag(v*)`: a trigger's rules on one line. */
export function describeRules(events: readonly EventRule[]): string {
  return events
    .map((rule) => {
      const filters = filtersOf(rule).map(([, patterns]) => patterns.join(','));
      return filters.length === 0 ? rule.on : `${rule.on}(${filters.join(';')})`;
    })
    .join(' ');
}

export function triggerTable(triggers: readonly Trigger[]): string {
  const rows = triggers.map((trigger) => [
    trigger.id,
    trigger.application,
    trigger.namespace,
    trigger.source,
    describeRules(trigger.events),
    trigger.component,
    trigger.image ?? ruleImages(trigger.events),
  ]);
  return renderTable([['ID', 'APP', 'NAMESPACE', 'SOURCE', 'EVENTS', 'COMPONENT', 'IMAGE'], ...rows]);
}

function ruleImages(events: readonly EventRule[]): string {
  const images = [...new Set(events.map((rule) => rule.image ?? (rule.on === 'image' || rule.on === 'package' ? '${image}' : '')))].filter((image) => image !== '');
  return images.join(' ') || '-';
}

/** What `trigger add` prints for people: the trigger, and where and with what secret the provider must post. */
export function addedMessage(trigger: Trigger, generatedSecret: string | undefined): string {
  const lines = [`Trigger ${trigger.id} added to ${trigger.application} (namespace ${trigger.namespace}): ${trigger.source} ${describeRules(trigger.events)} -> component ${trigger.component}.`];
  if (trigger.webhookUrl !== undefined) {
    lines.push(`Webhook URL: ${trigger.webhookUrl}`);
    if (generatedSecret !== undefined) lines.push(`Secret:      ${generatedSecret}`);
    lines.push(`${setUp[trigger.source as 'github' | 'gitlab' | 'generic']}${generatedSecret === undefined ? '' : ' The secret is not shown again.'}`);
  } else {
    lines.push('EventBridge delivers its events to the trigger function; nothing to set up at the source (docs/triggers.md, EventBridge).');
  }
  return `${lines.join('\n')}\n`;
}

const setUp = {
  github: 'Add both in the repository: Settings > Webhooks > Add webhook (content type application/json).',
  gitlab: 'Add both in the project: Settings > Webhooks (URL, and the secret as Secret token).',
  generic: 'Sign each request with the secret: X-Flotilla-Signature: sha256=HMAC(secret, "<timestamp>.<body>"), X-Flotilla-Timestamp: <timestamp>.',
};

export function needsSecret(source: string): boolean {
  const parsed = TriggerSource.safeParse(source);
  return parsed.success && isWebhookSource(parsed.data);
}
