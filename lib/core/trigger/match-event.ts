import type { CiEvent } from './ci-event.ts';
import { defaultTemplates, renderImage } from './image-template.ts';
import { filtersOf, matchesPattern, ruleFilters, type EventKind, type EventRule, type EventSubject, type TriggerSource } from './trigger-rule.ts';

/** The part of a trigger that decides whether an event deploys, and what. */
export interface TriggerRules {
  source: TriggerSource;
  /** The trigger's image template; a rule's own `image` wins. */
  image?: string | undefined;
  events: readonly EventRule[];
}

export type EventMatch = { matched: true; rule: EventRule; image: string } | { matched: false; reason: string };

const kindWords: Record<EventKind, string> = {
  push: 'pushes',
  tag: 'tags',
  package: 'published packages',
  workflow: 'successful workflow runs',
  pipeline: 'successful pipelines',
  image: 'pushed images',
  codepipeline: 'successful CodePipeline executions',
  codebuild: 'successful CodeBuild builds',
};

const filterWords: Record<EventSubject, string> = {
  branch: 'to branch',
  tag: 'matching',
  package: 'of package',
  workflow: 'of workflow',
  repository: 'to repository',
  pipeline: 'of pipeline',
  project: 'of project',
};

/**
 * Whether `event` deploys under these rules, and which image: the first rule of the event's kind whose filters all
 * pass decides. When none does, the reason says what the event was and what the trigger waits for, e.g.
 * `push of 6113728 to branch dev of org/app; this trigger deploys pushes to branch main`.
 */
export function matchEvent(trigger: TriggerRules, event: CiEvent): EventMatch {
  const candidates = trigger.events.filter((rule) => rule.on === event.kind);
  if (candidates.length === 0) {
    const wanted = [...new Set(trigger.events.map((rule) => kindWords[rule.on]))].join(', ');
    return { matched: false, reason: `${event.summary}; this trigger deploys ${wanted} only` };
  }
  const misses: string[] = [];
  for (const rule of candidates) {
    const miss = filterMiss(rule, event);
    if (miss !== undefined) {
      misses.push(miss);
      continue;
    }
    const template = rule.image ?? trigger.image ?? defaultTemplates[rule.on];
    if (template === undefined) return { matched: false, reason: `${event.summary}; the trigger names no image for ${kindWords[rule.on]}` };
    const rendered = renderImage(template, event.variables);
    if (!rendered.ok) return { matched: false, reason: `${event.summary}; ${rendered.reason}` };
    return { matched: true, rule, image: rendered.image };
  }
  return { matched: false, reason: `${event.summary}; this trigger deploys ${kindWords[event.kind]} ${misses.join(', or ')}` };
}

/** Undefined when every filter of the rule passes; otherwise what the failing filter asks for: `to branch main, release/*`. */
function filterMiss(rule: EventRule, event: CiEvent): string | undefined {
  for (const [field, patterns] of filtersOf(rule)) {
    const subject = ruleFilters[field];
    const value = event.subject[subject];
    if (value === undefined || !patterns.some((pattern) => matchesPattern(value, pattern))) {
      return `${filterWords[subject]} ${patterns.join(', ')}`;
    }
  }
  return undefined;
}
