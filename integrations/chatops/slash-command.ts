import * as z from 'zod';
import { isDnsLabel } from '../../lib/core/application/dns-name.ts';
import { ValidationError } from '../../lib/core/errors/validation-error.ts';
import { parseWith } from '../../lib/core/errors/zod-issues.ts';

/**
 * A Slack slash command as Slack posts it (form-encoded; api.slack.com, "Implementing slash commands"): the fields
 * Flotilla reads. `response_url` takes up to five follow-up messages for 30 minutes.
 */
export const SlashCommand = z.looseObject({
  command: z.string().min(1),
  text: z.string().default(''),
  response_url: z.url(),
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().optional(),
  user_name: z.string().optional(),
});
export type SlashCommand = z.infer<typeof SlashCommand>;

/** The form body, after the signature checked out. */
export function readSlashCommand(body: Buffer): SlashCommand {
  return parseWith(SlashCommand, Object.fromEntries(new URLSearchParams(body.toString('utf8'))), '');
}

/** What a chat user asked for: `status APP [-n NS]`, `ls [-n NS]`, or help (also for anything not understood). */
export type ChatRequest =
  | { kind: 'status'; application: string; namespace: string }
  | { kind: 'ls'; namespace?: string | undefined }
  | { kind: 'help'; problem?: string | undefined };

/** Reads the words after the command: `status example-app -n team-a`, `ls`, `help`. */
export function parseChatRequest(text: string): ChatRequest {
  const words = text.trim().split(/\s+/).filter((word) => word !== '');
  const [verb, ...rest] = words;
  if (verb === undefined || verb === 'help') return { kind: 'help' };
  let namespace: string | undefined;
  const positional: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!;
    if (word === '-n' || word === '--namespace') {
      namespace = rest[++index];
      if (namespace === undefined) return { kind: 'help', problem: `${word} needs a namespace` };
    } else if (word.startsWith('--namespace=')) {
      namespace = word.slice('--namespace='.length);
    } else {
      positional.push(word);
    }
  }
  if (namespace !== undefined && !isDnsLabel(namespace)) return { kind: 'help', problem: `${namespace} is not a namespace name` };
  if (verb === 'ls' || verb === 'list') {
    if (positional.length > 0) return { kind: 'help', problem: `ls takes no ${positional.join(' ')}` };
    return { kind: 'ls', namespace };
  }
  if (verb === 'status') {
    const [application, ...extra] = positional;
    if (application === undefined) return { kind: 'help', problem: 'status needs an application name' };
    if (extra.length > 0) return { kind: 'help', problem: `status takes one application, not ${positional.join(' ')}` };
    if (!isDnsLabel(application)) return { kind: 'help', problem: `${application} is not an application name` };
    return { kind: 'status', application, namespace: namespace ?? 'default' };
  }
  return { kind: 'help', problem: `unknown command ${verb}` };
}

/** Slack's form body must name a response URL Flotilla may post to: Slack's own, unless told otherwise (tests). */
export function checkResponseUrl(command: SlashCommand, allowedOrigins: readonly string[]): void {
  const origin = new URL(command.response_url).origin;
  if (!allowedOrigins.includes(origin)) {
    throw ValidationError.single('response_url', `must be on ${allowedOrigins.join(' or ')}, not ${origin}`);
  }
}
