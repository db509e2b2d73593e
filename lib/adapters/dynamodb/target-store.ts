import * as z from 'zod';
import { ConflictError } from '../../engine/ports/conflict-error.ts';
import { runPartition, stepRegistrationKey, stepTallyKey, targetKey, targetSortPrefix } from './keys.ts';
import { RetryLater } from '../../engine/retry.ts';
import { RecordTable } from './record-table.ts';
import { allOf, isConditionFailure, itemAbsent, itemPresent, maxBatchGetKeys, type Table } from './table.ts';
import { TargetRecord, TargetView, targetName, type Completion, type StepTally, type TargetOutcome, type TargetPlacement } from '../../core/run/target.ts';
import { type TargetStore } from '../../engine/ports/store.ts';
import { type PlannedTarget } from '../../core/run/target.ts';

const StoredTally = z.object({
  runId: z.string(),
  stepId: z.string(),
  expected: z.int().nonnegative(),
  finished: z.set(z.string()).optional(),
  failed: z.set(z.string()).optional(),
});

/**
 * A registration claim older than this belongs to a planner that died before writing the tally: the planner function
 * times out after 60 s (infra/flotilla-stack.ts), so a claim this old has no live holder.
 */
export const registrationTakeoverMs = 90_000;

/** Where a target item keeps its rendered components (JSON text), beside the payload that also holds them. */
const componentsAttribute = 'components';
const viewAttributes = Object.keys(TargetView.shape);

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
      // Status lists a run's targets without their objects (see listViewsForRun), so the components they were
      // rendered from are kept apart as well.
      derived: (record) => (record.payload?.where === 'inline' ? { [componentsAttribute]: JSON.stringify(record.payload.components) } : {}),
      key: (record) => targetKey(record.runId, record.stepId, record.cluster, record.namespace),
      label: (record) => `${record.runId}/${record.stepId}/${targetName(record)}`,
    });
    this.#table = table;
  }

  /**
   * Records a step's targets, then its tally. One planner registers a step: the one whose conditional put of the
   * step's registration claim succeeds writes the targets unconditionally, 25 to a BatchWriteItem (a 1,000-target step
   * is 40 requests, not 1,000 conditional puts). A planner that loses the claim to a live one is told to retry later;
   * a claim older than the planner's timeout belongs to a planner that died before the tally, so nothing was sent for
   * its targets yet, and it is taken over.
   */
  async register(runId: string, stepId: string, placements: PlannedTarget[], now: Date = new Date()): Promise<TargetRecord[]> {
    const names = new Set(placements.map(targetName));
    if (names.size !== placements.length) throw new TypeError(`step ${stepId} lists a (cluster, namespace) twice`);
    const claim = await this.#claimRegistration(runId, stepId, now);
    if (claim.outcome === 'registered') {
      if (claim.tally.expected !== placements.length) throw new ConflictError('step', `${runId}/${stepId}`, 'already-exists');
      return this.listForStep(runId, stepId);
    }
    if (claim.outcome === 'busy') {
      throw new RetryLater(`another planner is registering the targets of step ${runId}/${stepId}`, Math.ceil(claim.takeoverInMs / 1000) + 1);
    }
    const records = await this.createAllUnconditionally(
      placements.map((placement) => ({
        runId,
        stepId,
        cluster: placement.cluster,
        namespace: placement.namespace,
        payload: placement.payload,
        createNamespace: placement.createNamespace,
        ...(placement.message === undefined ? {} : { message: placement.message }),
        phase: 'pending' as const,
        attempts: 0,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        version: 1,
      })),
    );
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

  /** Claimed: this call writes the targets. Registered: the tally exists. Busy: a live planner holds the claim. */
  async #claimRegistration(
    runId: string,
    stepId: string,
    now: Date,
  ): Promise<{ outcome: 'claimed' } | { outcome: 'registered'; tally: StepTally } | { outcome: 'busy'; takeoverInMs: number }> {
    const key = stepRegistrationKey(runId, stepId);
    try {
      await this.#table.put({ ...key, claimedAt: now.toISOString() }, itemAbsent);
      return { outcome: 'claimed' };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const tally = await this.tally(runId, stepId);
    if (tally) return { outcome: 'registered', tally };
    const seen = (await this.#table.get(key))?.claimedAt;
    const takeoverInMs = typeof seen === 'string' ? Date.parse(seen) + registrationTakeoverMs - now.getTime() : 0;
    if (takeoverInMs > 0) return { outcome: 'busy', takeoverInMs };
    try {
      const unchanged = typeof seen === 'string' ? { expression: '#claimedAt = :seen', names: { '#claimedAt': 'claimedAt' }, values: { ':seen': seen } } : itemAbsent;
      await this.#table.put({ ...key, claimedAt: now.toISOString() }, unchanged);
      return { outcome: 'claimed' };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { outcome: 'busy', takeoverInMs: registrationTakeoverMs };
    }
  }

  get(runId: string, stepId: string, placement: TargetPlacement) {
    return this.read(targetKey(runId, stepId, placement.cluster, placement.namespace));
  }

  /** The targets of these placements that exist, in their order: one BatchGetItem per 100, sent side by side. */
  async getMany(runId: string, stepId: string, placements: readonly TargetPlacement[]): Promise<TargetRecord[]> {
    const chunks: TargetPlacement[][] = [];
    for (let i = 0; i < placements.length; i += maxBatchGetKeys) chunks.push(placements.slice(i, i + maxBatchGetKeys));
    const read = await Promise.all(chunks.map((chunk) => this.#table.batchGet(chunk.map((p) => targetKey(runId, stepId, p.cluster, p.namespace)))));
    return read.flat().flatMap((item) => (item ? [this.fromItem(item)] : []));
  }

  listForRun(runId: string) {
    return this.readAll({ partition: runPartition(runId), sortPrefix: targetSortPrefix() });
  }

  /** The run's targets for status: one paged Query that leaves the rendered objects behind. */
  async listViewsForRun(runId: string): Promise<TargetView[]> {
    const items = await this.#table.query({ partition: runPartition(runId), sortPrefix: targetSortPrefix(), attributes: viewAttributes });
    return items.map((item) => {
      const { detail, [componentsAttribute]: components, ...rest } = item;
      return TargetView.parse({ ...rest, ...(typeof detail === 'string' ? { detail: JSON.parse(detail) } : {}), ...(typeof components === 'string' ? { components: JSON.parse(components) } : {}) });
    });
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
      await this.#table.updateOnly(
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
