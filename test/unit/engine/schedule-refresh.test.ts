// Where scheduled refresh orders travel: a read-only refresh never waits in a cluster's FIFO group behind (or ahead
// of) its deploys; drift correction, which re-applies, keeps the group's order.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../lib/engine/context.ts';
import { scheduleRefresh } from '../../../lib/engine/planner/schedule-refresh.ts';
import type { ApplyOrRemove, Unordered, WorkQueues } from '../../../lib/engine/ports/work-queues.ts';

function engineWithOneDeployedTarget() {
  const sent = { applier: [] as ApplyOrRemove[], unordered: [] as Unordered[] };
  const queues: WorkQueues = {
    toPlanner: async () => {},
    toApplier: async (messages) => void sent.applier.push(...messages),
    unordered: async (message) => void sent.unordered.push(message),
    unorderedBatch: async (messages) => void sent.unordered.push(...messages),
  };
  const store = {
    applications: { listAll: async () => [{ namespace: 'default', name: 'app', deleting: false }] },
    runs: { newestForApplication: async () => ({ runId: 'r1', phase: 'succeeded' }) },
    targets: { listForRun: async () => [{ runId: 'r1', stepId: 's1', cluster: 'beijing-1', namespace: 'default', phase: 'succeeded' }] },
    clusters: { list: async () => [{ name: 'beijing-1' }] },
  };
  const engine = { store, queues, now: () => new Date('2026-01-01T00:00:00Z') } as unknown as Engine;
  return { engine, sent };
}

describe('scheduleRefresh', () => {
  it('sends read-only refreshes and probes through the unordered lane, none to the FIFO applier queue', async () => {
    const { engine, sent } = engineWithOneDeployedTarget();
    expect(await scheduleRefresh(engine, { reapply: false })).toBe(1);
    expect(sent.applier).toEqual([]);
    expect(sent.unordered.map((m) => m.kind).sort()).toEqual(['probe', 'refresh']);
  });

  it('keeps drift correction in the FIFO applier queue, in order with the cluster’s deploys', async () => {
    const { engine, sent } = engineWithOneDeployedTarget();
    expect(await scheduleRefresh(engine, { reapply: true })).toBe(1);
    expect(sent.applier).toMatchObject([{ kind: 'refresh', cluster: 'beijing-1', reapply: true }]);
    expect(sent.unordered.map((m) => m.kind)).toEqual(['probe']);
  });
});
