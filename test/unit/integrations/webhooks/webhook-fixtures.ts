// Real payload shapes for the webhook tests: GitHub's from @octokit/webhooks-examples, GitLab's and EventBridge's
// from events/ (their sources are named in the README next to them), signed here with a test secret.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WebhookRequest } from '../../../../integrations/webhooks/webhook-request.ts';

interface WebhookDefinition {
  name: string;
  examples: Record<string, any>[];
}

const require = createRequire(import.meta.url);
const githubExamples = require('@octokit/webhooks-examples') as WebhookDefinition[];

/** The examples GitHub's webhook catalogue gives for one event type. */
export function githubExamplesOf(name: string): Record<string, any>[] {
  const definition = githubExamples.find((entry) => entry.name === name);
  if (definition === undefined) throw new Error(`@octokit/webhooks-examples has no ${name} examples`);
  return definition.examples;
}

/** The first example of `name` that satisfies `pick`. */
export function githubExample(name: string, pick: (payload: Record<string, any>) => boolean = () => true): Record<string, any> {
  const found = githubExamplesOf(name).find(pick);
  if (found === undefined) throw new Error(`no ${name} example fits`);
  return structuredClone(found);
}

export function sample(path: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../../../../events/${path}`, import.meta.url), 'utf8')) as Record<string, any>;
}

export function request(headers: Record<string, string>, body: string | Buffer): WebhookRequest {
  return { headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])), body: Buffer.from(body) };
}
