import { ValidationError } from '../errors/validation-error.ts';

/**
 * How long planning one step may take. The count limits keep an Application small; this is the backstop for what
 * they cannot see (a step placed on many clusters, each rendering every component), so a planner message ends with a
 * clear failure instead of running into its Lambda timeout and being redelivered to fail the same way. The core has no
 * clock: the caller passes one.
 */
export class PlanBudget {
  readonly milliseconds: number;
  readonly #now: () => number;
  readonly #deadline: number;

  constructor(milliseconds: number, now: () => number) {
    this.milliseconds = milliseconds;
    this.#now = now;
    this.#deadline = now() + milliseconds;
  }

  /** Throws a ValidationError naming the step and how far planning got once the budget is spent. */
  check(step: string, progress: string): void {
    if (this.#now() <= this.#deadline) return;
    throw ValidationError.single(
      'spec.workflow.steps',
      `planning step ${step} took longer than its budget of ${this.milliseconds} ms (planBudgetMs) after ${progress}; place it on fewer clusters or split the application`,
    );
  }
}
