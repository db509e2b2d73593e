import { createHash } from 'node:crypto';
import { emptyUsage, usageFields, type RunUsage, type Usage, type UsageTarget } from '../../core/cost/usage.ts';
import { usageKey } from './keys.ts';
import type { Table } from './table.ts';
import type { UsageStore } from '../../engine/ports/store.ts';

/** The run totals' attribute names; `dynamodb` and `sqs` are the request counts the item has held from the start. */
const totalAttribute: Record<keyof Usage, string> = {
  dynamodbRequests: 'dynamodb',
  dynamodbReadUnits: 'dynamodbReadUnits',
  dynamodbWriteUnits: 'dynamodbWriteUnits',
  sqsRequests: 'sqs',
  sqsFifoRequests: 'sqsFifo',
  lambdaInvocations: 'lambdaInvocations',
  lambdaGbSeconds: 'lambdaGbSeconds',
};

/** One letter per figure after a target's short id: the item grows by about a hundred bytes per target, not more. */
const targetCode: Record<keyof Usage, string> = {
  dynamodbRequests: 'q',
  dynamodbReadUnits: 'r',
  dynamodbWriteUnits: 'w',
  sqsRequests: 's',
  sqsFifoRequests: 'f',
  lambdaInvocations: 'i',
  lambdaGbSeconds: 'g',
};
const fieldOfCode = new Map(Object.entries(targetCode).map(([field, code]) => [code, field as keyof Usage]));

/** Bounds the memory of full usage items; forgetting one only costs its next write one refused attempt. */
const rememberedFullItems = 1000;

/** DynamoDB, dynalite and moto answer an update past the 400 KB item limit with this ValidationException. */
function isItemTooLarge(err: unknown): boolean {
  return err instanceof Error && err.name === 'ValidationException' && err.message.includes('Item size to update has exceeded the maximum allowed size');
}

/** `t` and ten hex digits. */
const targetIdLength = 11;
const isTargetId = (attribute: string) => /^t[0-9a-f]{10}$/.test(attribute);

function targetId(target: UsageTarget): string {
  return `t${createHash('sha256').update(`${target.stepId}\u0000${target.cluster}\u0000${target.namespace}`).digest('hex').slice(0, 10)}`;
}

/**
 * A run's usage in one item beside the run, only ever added to (ADD, so concurrent functions never lose an increment):
 * the totals, and per target its figures under a short id (`t<hash>.<letter>`) with the target's name (`t<hash>`).
 */
export class DynamoUsageStore implements UsageStore {
  readonly #table: Table;

  /** Runs whose usage item was refused as too large, so their further writes go straight to totals only. */
  readonly #itemFull = new Set<string>();

  constructor(table: Table) {
    this.#table = table;
  }

  async add(runId: string, usage: RunUsage): Promise<void> {
    const totals: Record<string, number> = {};
    for (const field of usageFields) if (usage.total[field] > 0) totals[totalAttribute[field]] = usage.total[field];
    if (Object.keys(totals).length === 0) return;
    const add: Record<string, number> = { ...totals };
    const set: Record<string, string> = {};
    if (!this.#itemFull.has(runId)) {
      for (const { target, usage: used } of usage.targets) {
        const id = targetId(target);
        set[id] = JSON.stringify([target.stepId, target.cluster, target.namespace]);
        for (const field of usageFields) if (used[field] > 0) add[`${id}.${targetCode[field]}`] = used[field];
      }
    }
    try {
      await this.#table.updateOnly(usageKey(runId), { add, set });
    } catch (err) {
      if (!isItemTooLarge(err) || Object.keys(set).length === 0) throw err;
      // About 160 bytes per target: past about 2,500 targets the item reaches DynamoDB's 400 KB. The run's totals go on
      // being counted; the targets not yet in the item are counted in the totals only.
      if (this.#itemFull.size >= rememberedFullItems) this.#itemFull.clear();
      this.#itemFull.add(runId);
      await this.#table.updateOnly(usageKey(runId), { add: totals });
    }
  }

  async get(runId: string): Promise<RunUsage> {
    const item = (await this.#table.get(usageKey(runId))) ?? {};
    const total = emptyUsage();
    for (const field of usageFields) total[field] = Number(item[totalAttribute[field]] ?? 0);
    // One pass over the item, telling attributes apart by shape: at 1,000 targets the item has ~8,000 attributes and
    // is read by every status: two passes with a regex each took 6-8 ms for such an item, this one 2-3 ms.
    const targets = new Map<string, { target: UsageTarget; usage: Usage }>();
    const figures: { id: string; field: keyof Usage; value: number }[] = [];
    for (const attribute in item) {
      const value = item[attribute];
      if (attribute.length === targetIdLength && typeof value === 'string' && isTargetId(attribute)) {
        const [stepId, cluster, namespace] = JSON.parse(value) as [string, string, string];
        targets.set(attribute, { target: { stepId, cluster, namespace }, usage: emptyUsage() });
      } else if (attribute.length === targetIdLength + 2 && attribute[targetIdLength] === '.') {
        const field = fieldOfCode.get(attribute[targetIdLength + 1]!);
        if (field) figures.push({ id: attribute.slice(0, targetIdLength), field, value: Number(value) });
      }
    }
    for (const { id, field, value } of figures) {
      const entry = targets.get(id);
      if (entry) entry.usage[field] = value;
    }
    return { total, targets: [...targets.values()] };
  }
}
