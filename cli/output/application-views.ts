import type * as z from 'zod';
import type { ApplicationSummary, RevisionView, SubmitApplicationResult } from '../../contract/application-schemas.ts';
import type { WorkflowOperation } from '../client/api-client.ts';
import { goTimeUtc } from '../../lib/core/status/time-format.ts';
import { renderTable } from './table.ts';

type Summary = z.infer<typeof ApplicationSummary>;
type Revision = z.infer<typeof RevisionView>;
type Submitted = z.infer<typeof SubmitApplicationResult>;

/** `flotilla ls`: one row per application, by namespace then name, as the API lists them. */
export function applicationTable(applications: readonly Summary[]): string {
  const rows = [['APP', 'NAMESPACE', 'REVISION', 'PUBLISH_VERSION', 'DELETING', 'CREATED-TIME']];
  for (const app of applications) {
    rows.push([app.name, app.namespace, app.revision, app.publishVersion ?? '', String(app.deleting), goTimeUtc(app.createdAt)]);
  }
  return renderTable(rows);
}

/** `flotilla revisions` (vela revision list): newest first. */
export function revisionTable(revisions: readonly Revision[]): string {
  const rows = [['NAME', 'PUBLISH_VERSION', 'SUCCEEDED', 'HASH', 'BEGIN_TIME', 'CURRENT']];
  for (const revision of revisions) {
    rows.push([revision.name, revision.publishVersion ?? '', String(revision.succeeded), revision.specHash, goTimeUtc(revision.createdAt), String(revision.current)]);
  }
  return renderTable(rows);
}

/** vela up's first line, printed before the request is sent. */
export const applyingLine = 'Applying an application in vela K8s object format...\n';

/** vela up's log line about the Application object: created the first time, patched after. */
export function appliedLine(result: Submitted): string {
  const verb = result.outcome === 'created' && result.revisionNumber === 1 ? 'creating' : 'patching';
  return `"${verb} object" name="${result.name}" resource="core.oam.dev/v1beta1, Kind=Application"\n`;
}

/** `-n NS` when the namespace is not the one commands use without it. */
export function namespaceFlag(namespace: string, defaultNamespace: string): string {
  return namespace === defaultNamespace ? '' : ` -n ${namespace}`;
}

/** vela up's rocket line; said only once a followed run succeeded (`up --wait`), since only then is it true. */
export const deployedLine = '✅ App has been deployed 🚀🚀🚀';

/**
 * What a submit did, in one line: a new revision whose workflow run started (nothing is deployed before it succeeds),
 * or nothing at all, and why.
 */
export function submittedLine(result: Submitted): string {
  if (result.outcome === 'created') return `🚀 Submitted ${result.revision}: its workflow run started; nothing is deployed until it succeeds (up --wait follows it)`;
  const latest = result.latestRun ? ` The latest workflow run, of ${result.latestRun.revision}, is ${result.latestRun.phase}.` : '';
  if (result.unchangedBecause === 'same-publish-version') {
    return `➖ Unchanged: ${result.revision} already has publishVersion ${result.publishVersion ?? ''}; spec edits under it do not run (set a new app.oam.dev/publishVersion to run them), no workflow run started.${latest}`;
  }
  return `➖ Unchanged: ${result.name} has not changed since ${result.revision}, no workflow run started.${latest}`;
}

/**
 * vela up's closing lines: the headline, then commands to look further, labels right-aligned. Only commands flotilla
 * has (vela's port-forward, exec and logs hints have no counterpart here); one service line per component.
 */
export function upMessage(headline: string, result: Pick<Submitted, 'name' | 'namespace'>, components: readonly string[], defaultNamespace: string): string {
  const status = `flotilla status ${result.name}${namespaceFlag(result.namespace, defaultNamespace)}`;
  const hints: [string, string][] = [['App status', status], ...components.map((component): [string, string] => ['Service status', `${status} --svc ${component}`])];
  const width = Math.max(...hints.map(([label]) => label.length)) + 2;
  return `${headline}\n${hints.map(([label, command]) => `${label.padStart(width)}: ${command}\n`).join('')}`;
}

/** What each workflow operation prints, in vela's words where vela has them. */
export function workflowMessage(operation: WorkflowOperation, name: string, revision: string): string {
  if (operation === 'rollback') return `Successfully rollback workflow: ${name} runs ${revision} again\n`;
  if (operation === 'restart') return `Successfully restart workflow: ${name} runs ${revision} from the first step\n`;
  return `Successfully ${operation} workflow: ${name}\n`;
}
