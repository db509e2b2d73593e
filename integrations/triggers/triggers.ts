import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { dnsLabel } from '../../lib/core/application/dns-name.ts';
import { ValidationError, type ValidationIssue } from '../../lib/core/errors/validation-error.ts';
import type { CredentialCipher } from '../../lib/engine/ports/credential-cipher.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import type { TriggerRecord } from '../../lib/core/trigger/trigger-record.ts';
import { checkTemplate, defaultTemplates } from '../../lib/core/trigger/image-template.ts';
import { sealTriggerSecret } from './trigger-secret.ts';
import { limitMessages, MAX_TRIGGERS_PER_APPLICATION } from '../../lib/core/application/limits.ts';
import { EventRule, eventBridgeRequiredFilters, ImageTemplate, isWebhookSource, kindsBySource, TriggerSource } from '../../lib/core/trigger/trigger-rule.ts';
import { NewTrigger } from '../../contract/trigger-schemas.ts';

/** No trigger with that id (in that application). */
export class UnknownTriggerError extends Error {
  constructor(id: string) {
    super(`no trigger ${id}`);
    this.name = 'UnknownTriggerError';
  }
}

export interface TriggerDependencies {
  store: Store;
  cipher: CredentialCipher;
  now(): Date;
}

/** What only the whole trigger can tell: kinds its source delivers, filters EventBridge needs, templates that work. */
export function checkNewTrigger(trigger: NewTrigger): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const kinds = kindsBySource[trigger.source];
  trigger.events.forEach((rule, index) => {
    const path = `events[${index}]`;
    if (!kinds.includes(rule.on)) {
      issues.push({ path: `${path}.on`, message: `${trigger.source} triggers act on ${kinds.join(', ')} events, not ${rule.on}` });
      return;
    }
    const required = trigger.source === 'eventbridge' ? eventBridgeRequiredFilters[rule.on] : undefined;
    if (required !== undefined && (rule as Partial<Record<string, unknown>>)[required] === undefined) {
      issues.push({ path: `${path}.${required}`, message: `is required: EventBridge delivers the events of the whole account, so name the ${required} this trigger listens to` });
    }
    const template = rule.image ?? trigger.image ?? defaultTemplates[rule.on];
    if (template === undefined) {
      issues.push({ path: `${path}.image`, message: `is required for ${rule.on} events (or set image on the trigger): e.g. ghcr.io/org/app:\${sha}` });
    } else {
      issues.push(...checkTemplate(template, trigger.source, rule.on, rule.image !== undefined ? `${path}.image` : trigger.image !== undefined ? 'image' : `${path}.image`));
    }
  });
  if (isWebhookSource(trigger.source) && trigger.secret === undefined) {
    issues.push({ path: 'secret', message: `is required for ${trigger.source} webhooks: the same secret goes into the webhook's settings` });
  }
  if (trigger.source === 'eventbridge' && trigger.secret !== undefined) {
    issues.push({ path: 'secret', message: 'EventBridge triggers have no secret: their events come from the account\'s own bus' });
  }
  return dedupe(issues);
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Stores a trigger for the application's component, after checking the rules and that the component exists in the
 * current revision with an image to set. The secret is sealed before it reaches the table.
 */
export async function createTrigger(
  deps: TriggerDependencies,
  target: { namespace: string; application: string },
  trigger: NewTrigger,
): Promise<TriggerRecord> {
  const issues = checkNewTrigger(trigger);
  const application = await deps.store.applications.get(target.namespace, target.application);
  const revision = application && (await deps.store.applications.getRevision(target.namespace, target.application, application.currentRevision));
  const components = ((revision?.document as { spec?: { components?: { name?: unknown; properties?: Record<string, unknown> }[] } } | undefined)?.spec?.components ?? []);
  const component = components.find((candidate) => candidate.name === trigger.component);
  if (component === undefined) {
    const names = components.map((candidate) => String(candidate.name)).join(', ');
    issues.push({ path: 'component', message: `${target.application} has no component ${trigger.component}${names === '' ? '' : `; it has ${names}`}` });
  } else if (typeof component.properties?.image !== 'string') {
    issues.push({ path: 'component', message: `component ${trigger.component} has no image property to set` });
  }
  if (application !== undefined && issues.length === 0) {
    const existing = await listTriggers(deps.store, target);
    if (existing.length >= MAX_TRIGGERS_PER_APPLICATION) issues.push({ path: '', message: limitMessages.triggers });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  const id = randomBytes(10).toString('hex');
  const secret = trigger.secret === undefined ? undefined : await sealTriggerSecret(deps.cipher, id, trigger.secret);
  return deps.store.triggers.create({
    id,
    namespace: target.namespace,
    application: target.application,
    component: trigger.component,
    source: trigger.source,
    image: trigger.image,
    events: trigger.events,
    secret,
    description: trigger.description,
    createdAt: deps.now().toISOString(),
    version: 1,
  });
}

/** The application's triggers, or every trigger when no application is named; oldest first. */
export async function listTriggers(store: Store, filter: { namespace?: string; application?: string } = {}): Promise<TriggerRecord[]> {
  const all = await store.triggers.list();
  return all
    .filter((trigger) => (filter.namespace === undefined || trigger.namespace === filter.namespace) && (filter.application === undefined || trigger.application === filter.application))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** Removes the application's trigger; its webhook answers 404 from then on. */
export async function removeTrigger(store: Store, target: { namespace: string; application: string }, id: string): Promise<TriggerRecord> {
  const trigger = await store.triggers.get(id);
  if (trigger === undefined || trigger.namespace !== target.namespace || trigger.application !== target.application) throw new UnknownTriggerError(id);
  await store.triggers.remove(trigger, trigger.version);
  return trigger;
}
