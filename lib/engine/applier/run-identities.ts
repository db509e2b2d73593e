/** What never changes about a run: whose revision it runs. Orders carry only the run id. */
export interface RunIdentity {
  namespace: string;
  application: string;
  revision: number;
}

/** Runs remembered per process at most; the oldest is forgotten first. */
const maxRemembered = 2_000;

/**
 * The identities of runs this process has read, so that an order can read its run together with the application's
 * live-run pointer and inventory (keyed by the application) in one request. The first order of a run in a process
 * reads the run first; orders of the same run arriving meanwhile wait for that read instead of making their own.
 * Only immutable facts are kept: the run's phase, the live pointer and everything else are read fresh by each order.
 */
export class RunIdentities {
  readonly #known = new Map<string, Promise<RunIdentity | undefined>>();

  /** The identity, or its read under way; undefined when nobody has read the run, and the caller should `claim` it. */
  lookup(runId: string): Promise<RunIdentity | undefined> | undefined {
    return this.#known.get(runId);
  }

  /** Takes on the run's first read: lookups wait until `settle` is called (undefined: not found, forgotten again). */
  claim(runId: string): (identity: RunIdentity | undefined) => void {
    let settle!: (identity: RunIdentity | undefined) => void;
    const identity = new Promise<RunIdentity | undefined>((resolve) => (settle = resolve));
    this.#known.set(runId, identity);
    if (this.#known.size > maxRemembered) this.#known.delete(this.#known.keys().next().value!);
    return (found) => {
      if (!found && this.#known.get(runId) === identity) this.#known.delete(runId);
      settle(found);
    };
  }
}
