import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { applicationRunsGroup, runKey } from './keys.ts';
import { RecordTable, type VersionedWrites } from './record-table.ts';
import type { Table } from './table.ts';

export const StepPhase = z.enum(['pending', 'running', 'suspending', 'succeeded', 'failed', 'skipped']);
export type StepPhase = z.infer<typeof StepPhase>;
export const RunPhase = z.enum(['running', 'suspended', 'succeeded', 'failed', 'terminated']);
export type RunPhase = z.infer<typeof RunPhase>;

export const StepState = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  phase: StepPhase,
  message: z.string().optional(),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
});
export type StepState = z.infer<typeof StepState>;

/** One execution of an application revision's workflow. Targets and step tallies live beside it (TargetStore). */
export const RunRecord = z.object({
  runId: z.string().min(1),
  namespace: z.string().min(1),
  application: z.string().min(1),
  revision: z.int().positive(),
  revisionName: z.string().min(1),
  mode: z.string().min(1),
  phase: RunPhase,
  message: z.string().optional(),
  steps: z.array(StepState),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** `replace` records step and run phase changes. */
export interface RunStore extends VersionedWrites<RunRecord> {
  get(runId: string): Promise<RunRecord | undefined>;
  /** Newest first; read from the group index. */
  listForApplication(namespace: string, name: string): Promise<RunRecord[]>;
}

/** Run ids sort by creation time (millisecond clock in base 36, then randomness), so listings come out in order. */
export function newRunId(now: Date = new Date()): string {
  return `${now.getTime().toString(36).padStart(10, '0')}${randomBytes(5).toString('hex')}`;
}

export class DynamoRunStore extends RecordTable<RunRecord> implements RunStore {
  constructor(table: Table) {
    super(table, {
      entity: 'workflow run',
      schema: RunRecord,
      jsonFields: ['steps'],
      key: (record) => runKey(record.runId),
      group: (record) => ({ gsi1pk: applicationRunsGroup(record.namespace, record.application), gsi1sk: `RUN#${record.runId}` }),
      label: (record) => record.runId,
    });
  }

  get(runId: string) {
    return this.read(runKey(runId));
  }

  listForApplication(namespace: string, name: string) {
    return this.readAll({ partition: applicationRunsGroup(namespace, name), byGroup: true, descending: true });
  }
}
