/** What a notification or webhook says about the run: the facts its template may name. */
export interface OutboundContext {
  application: string;
  namespace: string;
  revision: string;
  runId: string;
  /** The step sending it. */
  step: string;
  /** How the run stands when the step runs: `succeeded` when every earlier step succeeded, else `failed`. */
  outcome: 'succeeded' | 'failed';
  /** The earlier steps and their phases. */
  steps: { name: string; phase: string; message?: string }[];
}

export const defaultNotificationText = 'Flotilla: {{namespace}}/{{application}} revision {{revision}} {{outcome}} (step {{step}})';

const placeholders = ['application', 'namespace', 'revision', 'step', 'outcome', 'runId'] as const;

/** Fills `{{name}}` placeholders; an unknown one is left as written, so a typo shows in the message rather than vanishing. */
export function renderNotificationText(template: string, context: OutboundContext): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (whole, name: string) =>
    (placeholders as readonly string[]).includes(name) ? String(context[name as (typeof placeholders)[number]]) : whole,
  );
}
