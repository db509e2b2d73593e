import type * as z from 'zod';
import { formatPath, ValidationError, type ValidationIssue } from './validation-error.ts';

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Runs a zod schema and returns either the parsed value or issues worded for people, placed under `basePath`. */
export function checkWith<S extends z.ZodType>(schema: S, value: unknown, basePath: string): Checked<z.output<S>> {
  const result = schema.safeParse(value, { error: friendlyMessage });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: issuesFromZod(result.error, basePath) };
}

/** Like `checkWith`, but throws the ValidationError; for boundaries that accept one value at a time. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, basePath: string): z.output<S> {
  const checked = checkWith(schema, value, basePath);
  if (!checked.ok) throw new ValidationError(checked.issues);
  return checked.value;
}

export function issuesFromZod(error: z.ZodError, basePath: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of error.issues) {
    // One line per unknown key, at the key's own path, reads better than "unrecognized keys: a, b" on the parent.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: formatPath([...issue.path, key], basePath), message: 'unknown field' });
    } else {
      issues.push({ path: formatPath(issue.path, basePath), message: issue.message });
    }
  }
  return issues;
}

const nouns: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map of fields',
  record: 'a map of fields',
  array: 'a list',
  null: 'null',
};

// The per-parse error map: only used where a schema has no message of its own.
function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `expected ${nouns[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      if (issue.values.length === 1) return `expected ${JSON.stringify(issue.values[0])}`;
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters long`;
      if (issue.origin === 'array') return `must list at most ${issue.maximum} items`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'invalid_union':
      return 'does not match any accepted form';
    case 'invalid_key':
      return 'has an invalid key';
    default:
      return undefined;
  }
}
