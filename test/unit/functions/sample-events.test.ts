// The sample events in events/ are what the functions receive on AWS; they stay valid for the message schemas, so
// they can be used for local invocation and as fixtures.
import type { SQSEvent } from 'aws-lambda';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ApplierMessage } from '../../../lib/engine/messages/applier-message.ts';
import { PlannerMessage } from '../../../lib/engine/messages/planner-message.ts';

const read = (path: string) => JSON.parse(readFileSync(new URL(`../../../events/${path}`, import.meta.url), 'utf8')) as unknown;
const bodies = (path: string) => (read(path) as SQSEvent).Records.map((r) => JSON.parse(r.body) as unknown);

describe('sample events', () => {
  it('planner batch holds valid planner messages', () => {
    expect(bodies('sqs/planner-batch.json').map((b) => PlannerMessage.parse(b).kind)).toEqual(['run', 'advance']);
  });

  it('applier batches hold valid applier messages, FIFO records with their group', () => {
    const event = read('sqs/applier-batch.json') as SQSEvent;
    expect(event.Records.map((r) => r.attributes.MessageGroupId)).toEqual(['beijing-1', 'beijing-2']);
    expect(bodies('sqs/applier-batch.json').map((b) => ApplierMessage.parse(b).kind)).toEqual(['apply', 'remove']);
    expect(bodies('sqs/health-recheck.json').map((b) => ApplierMessage.parse(b).kind)).toEqual(['check']);
  });

  it('the schedules pass the refresh function its task', () => {
    const Task = z.object({ task: z.enum(['refresh', 'drift']) });
    for (const file of readdirSync(new URL('../../../events/schedule/', import.meta.url))) expect(Task.safeParse(read(`schedule/${file}`)).success).toBe(true);
  });
});
