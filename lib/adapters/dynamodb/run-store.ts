import { applicationRunsGroup, liveRunKey, runKey } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { isConditionFailure, itemAbsent, type Condition, type Table } from './table.ts';
import { RunRecord } from '../../core/run/run.ts';
import type { LiveClaim, RunStore } from '../../engine/ports/store.ts';

export class DynamoRunStore extends RecordTable<RunRecord> implements RunStore {
  readonly #table: Table;

  constructor(table: Table) {
    super(table, {
      entity: 'workflow run',
      schema: RunRecord,
      jsonFields: ['steps'],
      key: (record) => runKey(record.runId),
      group: (record) => ({ gsi1pk: applicationRunsGroup(record.namespace, record.application), gsi1sk: `RUN#${record.runId}` }),
      label: (record) => record.runId,
    });
    this.#table = table;
  }

  get(runId: string) {
    return this.read(runKey(runId));
  }

  listForApplication(namespace: string, name: string) {
    return this.readAll({ partition: applicationRunsGroup(namespace, name), byGroup: true, descending: true });
  }

  async newestForApplication(namespace: string, name: string): Promise<RunRecord | undefined> {
    const [newest] = await this.readAll({ partition: applicationRunsGroup(namespace, name), byGroup: true, descending: true, limit: 1 });
    return newest;
  }

  async liveRun(namespace: string, name: string): Promise<string | undefined> {
    const item = await this.#table.get(liveRunKey(namespace, name));
    return typeof item?.liveRunId === 'string' ? item.liveRunId : undefined;
  }

  /** Compare-and-set on the value read: a lost race reads again, and a newer run read there keeps it. */
  async claimLive(namespace: string, name: string, runId: string): Promise<LiveClaim> {
    for (;;) {
      const live = await this.liveRun(namespace, name);
      if (live !== undefined && live >= runId) return live === runId ? { claimed: true, displaced: undefined } : { claimed: false, live };
      const unchanged: Condition =
        live === undefined ? itemAbsent : { expression: '#live = :live', names: { '#live': 'liveRunId' }, values: { ':live': live } };
      try {
        await this.#table.put({ ...liveRunKey(namespace, name), liveRunId: runId }, unchanged);
        return { claimed: true, displaced: live };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
  }
}
