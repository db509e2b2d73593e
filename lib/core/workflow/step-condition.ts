/**
 * A step's `if`, in the forms Flotilla evaluates: `always`, `status.<step>.failed` and `status.<step>.succeeded`.
 * KubeVela takes any CUE expression there; anything else is refused at submit rather than guessed at.
 */
export type StepCondition = { kind: 'always' } | { kind: 'status'; step: string; outcome: 'failed' | 'succeeded' };

const statusPattern = /^status\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.(failed|succeeded)$/;

export const supportedConditions = '`always`, `status.<step>.failed` or `status.<step>.succeeded`';

/** The condition `text` states, or a reason it is refused. */
export function parseStepCondition(text: string): { ok: true; condition: StepCondition } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === 'always') return { ok: true, condition: { kind: 'always' } };
  const match = statusPattern.exec(trimmed);
  if (match) return { ok: true, condition: { kind: 'status', step: match[1]!, outcome: match[3] as 'failed' | 'succeeded' } };
  return { ok: false, message: `unsupported condition ${JSON.stringify(text)}: Flotilla evaluates ${supportedConditions}` };
}

/** The step names a condition reads, for the submit's check that they exist. */
export function conditionSteps(condition: StepCondition): string[] {
  return condition.kind === 'status' ? [condition.step] : [];
}

/** What a condition needs to know of the other steps: their phases by name. */
export type StepPhases = ReadonlyMap<string, string>;

/**
 * Whether a step whose turn has come runs. Without `if` it runs only when no earlier step failed (KubeVela: skipped
 * unless the previous steps succeeded); `always` runs whatever happened; a status condition reads the named step's
 * outcome (a step that was skipped has neither failed nor succeeded).
 */
export function conditionHolds(condition: StepCondition | undefined, phases: StepPhases, anyFailed: boolean): boolean {
  if (condition === undefined) return !anyFailed;
  if (condition.kind === 'always') return true;
  return phases.get(condition.step) === condition.outcome;
}
