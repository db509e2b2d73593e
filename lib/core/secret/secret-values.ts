/**
 * What stored documents, target payloads, API answers and statuses show in place of each value of a Kubernetes
 * Secret's `data` or `stringData`. The values themselves travel sealed beside the document (see lib/engine/secrets).
 */
export const redactedSecretValue = '<redacted>';

/** One value taken out of a document: where it was (an RFC 6901 JSON pointer) and what it was. */
export interface SecretValue {
  pointer: string;
  value: unknown;
}

export interface SecretExtraction<T> {
  /** A copy of the document with every Secret value replaced by `redactedSecretValue`. */
  redacted: T;
  /** The values taken out, in document order; empty when the document holds no Secret. */
  values: SecretValue[];
}

const secretFields = ['data', 'stringData'] as const;

/**
 * Finds every Kubernetes Secret (an object with `kind: Secret` and apiVersion `v1`, or none as in a patch) anywhere
 * in the document, at any depth: a `k8s-objects` component's objects, an override's properties, a rendered target's
 * objects. The input is left untouched.
 */
export function extractSecretValues<T>(document: T): SecretExtraction<T> {
  const values: SecretValue[] = [];
  const redacted = walk(document, '', values) as T;
  extractStepSecrets(redacted, values);
  return { redacted, values };
}

/**
 * The properties of an Application's notification and webhook steps that carry secrets: webhook URLs hold tokens
 * (Slack's incoming webhooks are bearer URLs) and HMAC keys sign posts. Kept here with the Secret fields so that every
 * document that is stored, answered or compared hides them the same way.
 */
export const stepSecretPaths: Readonly<Record<string, readonly (readonly string[])[]>> = {
  notification: [
    ['slack', 'url'],
    ['webhook', 'url'],
    ['webhook', 'secret'],
  ],
  webhook: [['url'], ['secret']],
};

function extractStepSecrets(redacted: unknown, values: SecretValue[]): void {
  const steps = isPlainObject(redacted) && isPlainObject(redacted.spec) && isPlainObject(redacted.spec.workflow) ? redacted.spec.workflow.steps : undefined;
  if (!Array.isArray(steps)) return;
  steps.forEach((step: unknown, index) => {
    if (!isPlainObject(step) || typeof step.type !== 'string' || !isPlainObject(step.properties)) return;
    for (const path of stepSecretPaths[step.type] ?? []) {
      const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), step.properties);
      const last = path.at(-1)!;
      if (!isPlainObject(parent) || parent[last] === undefined) continue;
      values.push({ pointer: `/spec/workflow/steps/${index}/properties/${path.map(escapeToken).join('/')}`, value: parent[last] });
      parent[last] = redactedSecretValue;
    }
  });
}

/** The document as answers show it: every Secret value replaced by `redactedSecretValue`. */
export function redactSecretValues<T>(document: T): T {
  return extractSecretValues(document).redacted;
}

/**
 * Puts the values back where `extractSecretValues` took them from, into a copy. Each place must still hold the
 * redaction marker: anything else means the values belong to another document, and nothing is guessed.
 */
export function restoreSecretValues<T>(redacted: T, values: readonly SecretValue[]): T {
  const restored = structuredClone(redacted);
  for (const { pointer, value } of values) {
    const tokens = parsePointer(pointer);
    const last = tokens.pop();
    let parent: unknown = restored;
    for (const token of tokens) parent = isContainer(parent) ? (parent as Record<string, unknown>)[token] : undefined;
    if (last === undefined || !isContainer(parent) || (parent as Record<string, unknown>)[last] !== redactedSecretValue) {
      throw new Error(`the sealed Secret values do not fit this document: ${pointer} is not a redacted value`);
    }
    (parent as Record<string, unknown>)[last] = value;
  }
  return restored;
}

/** True when some Secret value in the document is the redaction marker itself (an answer submitted back). */
export function redactedSecretPointers(document: unknown): string[] {
  return extractSecretValues(document).values.filter((entry) => entry.value === redactedSecretValue).map((entry) => entry.pointer);
}

function walk(node: unknown, pointer: string, values: SecretValue[]): unknown {
  if (Array.isArray(node)) return node.map((item, index) => walk(item, `${pointer}/${index}`, values));
  if (!isPlainObject(node)) return node;
  const secret = isSecret(node);
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(node)) {
    const at = `${pointer}/${escapeToken(key)}`;
    if (secret && (secretFields as readonly string[]).includes(key) && isPlainObject(member)) {
      copy[key] = Object.fromEntries(
        Object.entries(member).map(([name, value]) => {
          values.push({ pointer: `${at}/${escapeToken(name)}`, value });
          return [name, redactedSecretValue];
        }),
      );
    } else {
      copy[key] = walk(member, at, values);
    }
  }
  return copy;
}

function isSecret(node: Record<string, unknown>): boolean {
  return node.kind === 'Secret' && (node.apiVersion === undefined || node.apiVersion === 'v1');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isContainer(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function parsePointer(pointer: string): string[] {
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}
