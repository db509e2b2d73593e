/**
 * Runs `work` on every item, at most `concurrency` at a time, in the items' order of starting. After a failure no further
 * item starts; those under way finish, and the failure of the earliest item (in the items' order) is thrown, so the
 * error reported is the one a one-after-another loop would have met first among those that ran.
 */
export async function eachBounded<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const failures = new Map<number, unknown>();
  let next = 0;
  const worker = async () => {
    while (failures.size === 0 && next < items.length) {
      const index = next++;
      try {
        await work(items[index]!);
      } catch (err) {
        failures.set(index, err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
}
