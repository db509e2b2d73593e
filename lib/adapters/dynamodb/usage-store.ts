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

function targetId(target: UsageTarget): string {
  return `t${createHash('sha256').update(`${target.stepId}\u0000${target.cluster}\u0000${target.namespace}`).digest('hex').slice(0, 10)}`;
}

/**
 * A run's usage in one item beside the run, only ever added to (ADD, so concurrent functions never lose an increment):
 * the totals, and per target its figures under a short id (`t<hash>.<letter>`) with the target's name (`t<hash>`).
 */
export class DynamoUsageStore implements UsageStore {
  readonly #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async add(runId: string, usage: RunUsage): Promise<void> {
    const add: Record<string, number> = {};
    const set: Record<string, string> = {};
    for (const field of usageFields) if (usage.total[field] > 0) add[totalAttribute[field]] = usage.total[field];
    for (const { target, usage: used } of usage.targets) {
      const id = targetId(target);
      set[id] = JSON.stringify([target.stepId, target.cluster, target.namespace]);
      for (const field of usageFields) if (used[field] > 0) add[`${id}.${targetCode[field]}`] = used[field];
    }
    if (Object.keys(add).length === 0) return;
    await this.#table.update(usageKey(runId), { add, set });
  }

  async get(runId: string): Promise<RunUsage> {
    const item = (await this.#table.get(usageKey(runId))) ?? {};
    const total = emptyUsage();
    for (const field of usageFields) total[field] = Number(item[totalAttribute[field]] ?? 0);
    const targets = new Map<string, { target: UsageTarget; usage: Usage }>();
    for (const [attribute, value] of Object.entries(item)) {
      if (!/^t[0-9a-f]{10}$/.test(attribute) || typeof value !== 'string') continue;
      const [stepId, cluster, namespace] = JSON.parse(value) as [string, string, string];
      targets.set(attribute, { target: { stepId, cluster, namespace }, usage: emptyUsage() });
    }
    for (const [attribute, value] of Object.entries(item)) {
      const match = /^(t[0-9a-f]{10})\.([a-z])$/.exec(attribute);
      const entry = match && targets.get(match[1]!);
      const field = match && fieldOfCode.get(match[2]!);
      if (entry && field) entry.usage[field] = Number(value);
    }
    return { total, targets: [...targets.values()] };
  }
}
