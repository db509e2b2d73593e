import type { InventoryRecord } from '../../core/run/inventory.ts';
import type { Engine } from '../context.ts';
import { ConflictError } from '../ports/conflict-error.ts';

/**
 * Gives up on removing what the inventories list from one cluster: each inventory goes (conditionally, so the
 * applier and the planner racing to orphan the same one record it once) and what it listed is recorded as orphans
 * with the reason. Returns the inventories this call orphaned.
 */
export async function orphanInventories(engine: Engine, cluster: string, inventories: readonly InventoryRecord[], reason: string): Promise<InventoryRecord[]> {
  const taken: InventoryRecord[] = [];
  for (const inventory of inventories) {
    try {
      await engine.store.inventories.remove(inventory, inventory.version);
      taken.push(inventory);
    } catch (err) {
      // Removed or changed meanwhile by whoever else is removing it: theirs is the outcome.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  if (taken.length === 0) return taken;
  const left = taken.map(({ version: _version, removalRetryAt: _retry, removalAttempts: _attempts, forcedRemovalAt: _forced, ...inventory }) => inventory);
  // The record's key is (cluster, time): two orphanings of one cluster in the same millisecond take the next one.
  let at = engine.now().getTime();
  for (let attempt = 1; ; attempt++, at++) {
    try {
      await engine.store.inventories.recordOrphans({ cluster, detachedAt: new Date(at).toISOString(), reason, inventories: left, version: 1 });
      return taken;
    } catch (err) {
      if (!(err instanceof ConflictError && err.reason === 'already-exists') || attempt >= 20) throw err;
    }
  }
}
