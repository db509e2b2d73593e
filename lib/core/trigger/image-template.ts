import type { ValidationIssue } from '../errors/validation-error.ts';
import type { EventKind, TriggerSource } from './trigger-rule.ts';

/**
 * The variables events carry, by source and kind: `always` are in every such event, `sometimes` only in some (a tag
 * pipeline has no branch, an ECR push by digest no tag). A template may use either; an event that lacks a variable
 * the template uses is ignored with that reason. `env.NAME` (CodeBuild's environment variables) is always "sometimes".
 */
interface KindVariables {
  always: readonly string[];
  sometimes: readonly string[];
}

const commit = ['sha', 'shortSha'] as const;

export const eventVariables: Record<TriggerSource, Partial<Record<EventKind, KindVariables>>> = {
  github: {
    push: { always: [...commit, 'branch', 'repository'], sometimes: [] },
    tag: { always: [...commit, 'tag', 'repository'], sometimes: [] },
    package: { always: ['image', 'package', 'version', 'repository'], sometimes: ['tag', 'digest'] },
    workflow: { always: [...commit, 'branch', 'workflow', 'runNumber', 'repository'], sometimes: [] },
  },
  gitlab: {
    push: { always: [...commit, 'branch', 'repository'], sometimes: [] },
    tag: { always: [...commit, 'tag', 'repository'], sometimes: [] },
    pipeline: { always: [...commit, 'ref', 'pipelineId', 'repository'], sometimes: ['branch', 'tag'] },
  },
  generic: {
    push: { always: [...commit, 'branch'], sometimes: ['repository'] },
    tag: { always: ['tag'], sometimes: [...commit, 'repository'] },
    image: { always: ['image'], sometimes: ['tag', 'digest', ...commit, 'repository'] },
  },
  eventbridge: {
    image: { always: ['image', 'repository', 'registry', 'digest'], sometimes: ['tag'] },
    codepipeline: { always: ['pipeline', 'executionId'], sometimes: [] },
    codebuild: { always: ['project', 'buildId', 'buildNumber'], sometimes: ['sourceVersion', ...commit] },
  },
};

/** Kinds whose events name an image themselves, so a template is not needed: the default is `${image}`. */
export const defaultTemplates: Partial<Record<EventKind, string>> = { image: '${image}', package: '${image}' };

type Part = { text: string } | { variable: string };

const variableName = /^(?:[A-Za-z][A-Za-z0-9]*|env\.[A-Za-z_][A-Za-z0-9_]*)$/;

/** `ghcr.io/org/app:${sha}` -> literal and variable parts; undefined when a `${` is not closed or names nothing valid. */
export function parseTemplate(template: string): Part[] | { problem: string } {
  const parts: Part[] = [];
  let rest = template;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    if (start < 0) {
      parts.push({ text: rest });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start) });
    const end = rest.indexOf('}', start);
    if (end < 0) return { problem: 'has a ${ without its closing }' };
    const name = rest.slice(start + 2, end);
    if (!variableName.test(name)) return { problem: `\${${name}} is not a variable name` };
    parts.push({ variable: name });
    rest = rest.slice(end + 1);
  }
  return parts;
}

/** The problems of `template` for events of `kind` from `source`: syntax, and variables such events never carry. */
export function checkTemplate(template: string, source: TriggerSource, kind: EventKind, path: string): ValidationIssue[] {
  const parts = parseTemplate(template);
  if ('problem' in parts) return [{ path, message: `the image template ${parts.problem}` }];
  const known = eventVariables[source][kind];
  if (known === undefined) return [];
  const offered = [...known.always, ...known.sometimes];
  const unknown = parts.flatMap((part) =>
    'variable' in part && !offered.includes(part.variable) && !(kind === 'codebuild' && part.variable.startsWith('env.')) ? [part.variable] : [],
  );
  return unknown.map((name) => ({
    path,
    message: `${source} ${kind} events carry no \${${name}}; they carry ${offered.map((variable) => `\${${variable}}`).join(', ')}${kind === 'codebuild' ? ' and ${env.NAME}' : ''}`,
  }));
}

export type Rendered = { ok: true; image: string } | { ok: false; reason: string };

/** The image for one event; the reason when the event lacks a variable or the result is no image reference. */
export function renderImage(template: string, variables: Readonly<Record<string, string>>): Rendered {
  const parts = parseTemplate(template);
  if ('problem' in parts) return { ok: false, reason: `the image template ${parts.problem}` };
  const missing = parts.flatMap((part) => ('variable' in part && variables[part.variable] === undefined ? [part.variable] : []));
  if (missing.length > 0) {
    return { ok: false, reason: `the image template uses ${missing.map((name) => `\${${name}}`).join(', ')}, which this event does not carry` };
  }
  const image = parts.map((part) => ('text' in part ? part.text : variables[part.variable])).join('');
  if (!isImageReference(image)) return { ok: false, reason: `${JSON.stringify(image)} is not an image reference (name[:tag][@digest], lowercase name)` };
  return { ok: true, image };
}

const domain = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)';
const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const tag = '[\\w][\\w.-]{0,127}';
const digest = 'sha256:[a-f0-9]{64}';
const reference = new RegExp(`^(?:${domain}/)?${component}(?:/${component})*(?::${tag})?(?:@${digest})?$`);

/** The distribution reference grammar (docker/distribution `reference`), in its common form. */
export function isImageReference(image: string): boolean {
  return image.length <= 512 && reference.test(image);
}
