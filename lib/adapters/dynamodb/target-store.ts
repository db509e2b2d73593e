import * as z from 'zod';
import { ConflictError } from '../../engine/ports/conflict-error.ts';
import { runPartition, stepTallyKey, targetKey, targetSortPrefix } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { allOf, isConditionFailure, itemAbsent, itemPresent, type Table } from './table.ts';
import { TargetRecord, targetName, type Completion, type StepTally, type TargetOutcome, type TargetPlacement } from '../../core/run/target.ts';
import { type TargetStore } from '../../engine/ports/store.ts';
import { type PlannedTarget } from '../../core/run/target.ts';

const StoredTally = z.object({
  runId: z.string(),
  stepId: z.string(),
  expected: z.int().nonnegative(),
  finished: z.set(z.string()).optional(),
  failed: z.set(z.string()).optional(),
});

function toTally(item: Record<string, unknown>): StepTally {
  const stored = StoredTally.parse(item);
  return { ...stored, finished: stored.finished ?? new Set(), failed: stored.failed ?? new Set() };
}

export class DynamoTargetStore extends RecordTable<TargetRecord> implements TargetStore {
  readonly #table: Table;

  constructor(table: Table) {
    super(table, {
      entity: 'target',
      schema: TargetRecord,
      jsonFields: ['detail', 'payload'],
      key: (record) => targetKey(record.runId, record.stepId, record.cluster, record.namespace),
      label: (record) => `${record.runId}/${record.stepId}/${targetName(record)}`,
    });
    this.#table = table;
  }

  async register(runId: string, stepId: string, placements: PlannedTarget[], now: Date = new Date()): Promise<TargetRecord[]> {
    const names = new Set(placements.map(targetName));
    if (names.size !== placements.length) throw new TypeError(`step ${stepId} lists a (cluster, namespace) twice`);
    const records: TargetRecord[] = [];
    for (const placement of placements) {
      const fresh: TargetRecord = {
        runId,
        stepId,
        cluster: placement.cluster,
        namespace: placement.namespace,
        payload: placement.payload,
        createNamespace: placement.createNamespace,
        ...(placement.message === undefined ? {} : { message: placement.message }),
        phase: 'pending',
        attempts: 0,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        version: 1,
      };
      try {
        records.push(await this.create(fresh));
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        records.push((await this.get(runId, stepId, placement))!);
      }
    }
    // The tally goes last: it is what makes the step's targets count, so a crash above leaves nothing half-counted.
    try {
      await this.#table.put({ ...stepTallyKey(runId, stepId), runId, stepId, expected: placements.length }, itemAbsent);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const existing = await this.tally(runId, stepId);
      if (existing?.expected !== placements.length) throw new ConflictError('step', `${runId}/${stepId}`, 'already-exists');
    }
    return records;
  }

  get(runId: string, stepId: string, placement: TargetPlacement) {
    return this.read(targetKey(runId, stepId, placement.cluster, placement.namespace));
  }

  listForRun(runId: string) {
    return this.readAll({ partition: runPartition(runId), sortPrefix: targetSortPrefix() });
  }

  listForStep(runId: string, stepId: string) {
    return this.readAll({ partition: runPartition(runId), sortPrefix: targetSortPrefix(stepId) });
  }

  async tally(runId: string, stepId: string): Promise<StepTally | undefined> {
    const item = await this.#table.get(stepTallyKey(runId, stepId));
    return item ? toTally(item) : undefined;
  }

  async complete(
    runId: string,
    stepId: string,
    placement: TargetPlacement,
    outcome: TargetOutcome,
    now: Date = new Date(),
  ): Promise<Completion> {
    const key = targetKey(runId, stepId, placement.cluster, placement.namespace);
    const name = targetName(placement);
    let phase = outcome.phase;
    try {
      await this.#table.update(
        key,
        {
          set: {
            phase: outcome.phase,
            message: outcome.message,
            detail: outcome.detail === undefined ? undefined : JSON.stringify(outcome.detail),
            updatedAt: now.toISOString(),
            finishedAt: now.toISOString(),
          },
          add: { version: 1 },
        },
        allOf(itemPresent, { expression: 'attribute_not_exists(#finishedAt)', names: { '#finishedAt': 'finishedAt' } }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const stored = await this.get(runId, stepId, placement);
      if (!stored) throw new ConflictError('target', `${runId}/${stepId}/${name}`, 'changed');
      // Finished before (a duplicate delivery, or a retry after a crash): its first outcome stands, and the tally below
      // is still brought up to date in case that earlier call died before reaching it.
      if (stored.phase === 'succeeded' || stored.phase === 'failed') phase = stored.phase;
    }
    try {
      const updated = await this.#table.update(
        stepTallyKey(runId, stepId),
        { add: { finished: new Set([name]), ...(phase === 'failed' ? { failed: new Set([name]) } : {}) } },
        allOf(itemPresent, { expression: 'NOT contains(#finished, :name)', names: { '#finished': 'finished' }, values: { ':name': name } }),
      );
      const tally = toTally(updated);
      return { recorded: true, tally, completedStep: tally.finished.size === tally.expected };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const tally = await this.tally(runId, stepId);
      if (!tally) throw new ConflictError('step', `${runId}/${stepId}`, 'changed');
      return { recorded: false, tally, completedStep: false };
    }
  }
}
