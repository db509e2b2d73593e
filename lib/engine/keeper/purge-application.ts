import { ConflictError } from '../ports/conflict-error.ts';
import type { Store } from '../ports/store.ts';

/**
 * An application whose objects are gone from every cluster leaves no records behind: its header and revisions, and the
 * CI triggers that would otherwise keep answering webhooks for an application that no longer exists.
 */
export async function purgeApplication(store: Store, namespace: string, name: string): Promise<void> {
  for (const trigger of await store.triggers.list()) {
    if (trigger.namespace !== namespace || trigger.application !== name) continue;
    // Two clusters' last removals can finish together and both purge: a trigger already gone is what both want.
    await store.triggers.remove(trigger, trigger.version).catch((err: unknown) => {
      if (!(err instanceof ConflictError)) throw err;
    });
  }
  await store.applications.purge(namespace, name);
}
