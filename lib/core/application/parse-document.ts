import { isAlias, isCollection, isNode, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { formatPath, ValidationError, type ValidationIssue } from '../errors/validation-error.ts';
import { errorMessage } from '../errors/error-message.ts';

/** Real Applications are a few KB; 1 MiB leaves room and stays below Kubernetes' own 1.5 MiB object limit. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Deeper than any Kubernetes manifest gets; keeps recursive code (merges, rendering) far from the stack limit. */
export const MAX_NESTING_DEPTH = 64;

export type DocumentFormat = 'yaml' | 'json';

/**
 * Reads one YAML or JSON document into plain data. Refuses what could hurt a server reading untrusted input: texts
 * over MAX_DOCUMENT_BYTES, YAML anchors and aliases (the "billion laughs" expansion), several documents in one text,
 * nesting deeper than MAX_NESTING_DEPTH. Every failure is a ValidationError naming the reason.
 */
export function parseDocument(text: string, format?: DocumentFormat): unknown {
  checkSize(text);
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let value: unknown;
  try {
    value = format === 'json' ? parseJson(source) : format === 'yaml' ? parseYaml(source) : parseAuto(source);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    // The parsers can fail in ways of their own (a stack overflow on absurd nesting); the caller only needs to know
    // the text was not readable.
    throw ValidationError.single('', `could not read the document: ${errorMessage(error)}`);
  }
  const problem = checkPlainData(value);
  if (problem !== undefined) throw new ValidationError([problem]);
  return value;
}

function checkSize(text: string): void {
  // A string never has more UTF-8 bytes than three per UTF-16 unit, nor fewer than one.
  const tooBig = text.length > MAX_DOCUMENT_BYTES || (text.length * 3 > MAX_DOCUMENT_BYTES && new TextEncoder().encode(text).length > MAX_DOCUMENT_BYTES);
  if (tooBig) throw ValidationError.single('', `the document is larger than the limit of ${MAX_DOCUMENT_BYTES} bytes`);
}

function parseAuto(text: string): unknown {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text);
    } catch {
      // YAML flow style also starts with a bracket; YAML's error is the more useful one then.
    }
  }
  return parseYaml(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw ValidationError.single('', `invalid JSON: ${errorMessage(error)}`);
  }
}

function parseYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { schema: 'core', lineCounter, uniqueKeys: true, prettyErrors: false, merge: false });
  if (documents.length === 0) throw ValidationError.single('', 'the document is empty');
  if (documents.length > 1) throw ValidationError.single('', `expected one YAML document, found ${documents.length}`);
  const document = documents[0] as Document.Parsed;
  const at = (offset: number | undefined) => {
    if (offset === undefined) return '';
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}: `;
  };
  const issues: ValidationIssue[] = [...document.errors, ...document.warnings].map((problem) => ({
    path: '',
    message: `invalid YAML: ${at(problem.pos[0])}${problem.message}`,
  }));
  visit(document, {
    Pair(_key, pair) {
      // JSON has no such keys; the yaml library would stringify them with a process warning.
      if (isCollection(pair.key)) issues.push({ path: '', message: `YAML keys must be plain values, not lists or maps: ${at(pair.key.range?.[0])}` });
    },
    Node(_key, node) {
      if (isAlias(node)) {
        issues.push({ path: '', message: `YAML aliases are not allowed: ${at(node.range?.[0])}*${node.source}` });
      } else if (isNode(node) && node.anchor !== undefined) {
        issues.push({ path: '', message: `YAML anchors are not allowed: ${at(node.range?.[0])}&${node.anchor}` });
      }
    },
  });
  if (issues.length > 0) throw new ValidationError(issues);
  if (document.contents === null) throw ValidationError.single('', 'the document is empty');
  return document.toJS({ maxAliasCount: 0 });
}

/**
 * Finds the first part of `value` that is not plain JSON data (finite numbers, strings, booleans, null, arrays and
 * plain objects), is nested too deep, or uses the key `__proto__`. Undefined object fields count as absent, as in JSON.
 */
export function checkPlainData(value: unknown, basePath = ''): ValidationIssue | undefined {
  const pending: { value: unknown; depth: number; path: PropertyKey[] }[] = [{ value, depth: 0, path: [] }];
  try {
    for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
      const where = () => formatPath(item.path, basePath);
      const current = item.value;
      if (current === null || typeof current === 'string' || typeof current === 'boolean') continue;
      if (typeof current === 'number') {
        if (!Number.isFinite(current)) return { path: where(), message: 'numbers must be finite' };
        continue;
      }
      if (typeof current !== 'object') return { path: where(), message: `${typeof current} is not JSON data` };
      if (item.depth >= MAX_NESTING_DEPTH) return { path: where(), message: `the document is nested deeper than ${MAX_NESTING_DEPTH} levels` };
      if (Array.isArray(current)) {
        current.forEach((element, index) => {
          pending.push({ value: element, depth: item.depth + 1, path: [...item.path, index] });
        });
        continue;
      }
      const prototype: unknown = Object.getPrototypeOf(current);
      if (prototype !== Object.prototype && prototype !== null) return { path: where(), message: 'is not plain JSON data' };
      for (const [key, element] of Object.entries(current)) {
        if (key === '__proto__') return { path: where(), message: 'the key "__proto__" is not allowed' };
        if (element !== undefined) pending.push({ value: element, depth: item.depth + 1, path: [...item.path, key] });
      }
    }
  } catch (error) {
    return { path: basePath, message: `could not be read: ${errorMessage(error)}` };
  }
  return undefined;
}
