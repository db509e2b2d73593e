import * as z from 'zod';
import { errorMessage } from '../lib/core/errors/error-message.ts';
import { awsSettingsFromEnv } from '../lib/adapters/aws/clients.ts';
import { defaultEngineSettings } from '../lib/engine/context.ts';
import { parseAllowList } from '../lib/core/cluster/endpoint-policy.ts';
import { PriceOverride, pricesWith } from '../lib/core/cost/prices.ts';

/**
 * Every Flotilla function's configuration, read from the environment once when the module loads and validated there:
 * a missing or malformed variable stops the function at cold start with the variable's name, not at the first request.
 */
const Environment = z
  .object({
    TABLE_NAME: z.string().min(3),
    PLANNER_QUEUE_URL: z.url(),
    APPLIER_QUEUE_URL: z.url(),
    HEALTH_QUEUE_URL: z.url(),
    /** AWS: the KMS key that makes the data keys sealing cluster credentials. */
    CREDENTIALS_KMS_KEY_ID: z.string().min(1).optional(),
    /** Local mode: the master key file (created 0600 on first use) instead of KMS. */
    CREDENTIALS_KEY_FILE: z.string().min(1).optional(),
    DEFAULT_STEP_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(defaultEngineSettings.defaultStepTimeoutSeconds),
    MAX_RECHECK_DELAY_SECONDS: z.coerce.number().int().positive().max(900).default(defaultEngineSettings.maxRecheckDelaySeconds),
    /** The sweep re-sends the order of an open target that has had no news for this long (its message was lost). */
    ORDER_LOST_AFTER_SECONDS: z.coerce.number().int().positive().default(defaultEngineSettings.orderLostAfterSeconds),
    /** Drift correction re-applies the current revision when its last apply is older than this. */
    DRIFT_INTERVAL_SECONDS: z.coerce.number().int().positive().default(300),
    /**
     * How long the applier works on one message before its member-cluster requests are aborted and the message is
     * retried later; below the applier's timeout, so one stalled cluster never holds a batch (and others' orders) long.
     */
    RECORD_BUDGET_SECONDS: z.coerce.number().positive().max(60).default(10),
    /**
     * Prices for the cost estimate in status, as JSON laid over the published us-east-1 list (lib/core/cost/prices.ts),
     * e.g. {"region":"eu-west-1","asOf":"2025-01-01","lambdaGbSecond":0.0000133334}.
     */
    PRICES: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value.trim() === '') return undefined;
        try {
          return JSON.parse(value) as unknown;
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `must be JSON: ${errorMessage(err)}` });
          return z.NEVER;
        }
      })
      .pipe(PriceOverride.optional()),
    /** Largest request body the API accepts. */
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
    /**
     * The CI-event inbox the trigger function consumes (EventBridge rules deliver there). Set: the API hands it the
     * Slack replies that miss Slack's 3 s. Unset (the local runtime): the API process posts them itself.
     */
    CI_EVENTS_QUEUE_URL: z.url().optional(),
    /** How long a slash command's reply may take before Slack gets an acknowledgement and the reply follows. */
    SLACK_INLINE_BUDGET_MS: z.coerce.number().int().nonnegative().max(2500).default(2000),
    /** Origins a Slack response_url may have, comma-separated. */
    SLACK_RESPONSE_URL_ORIGINS: z
      .string()
      .default('https://hooks.slack.com')
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
      .pipe(z.array(z.url()).min(1)),
    /** The EventBridge bus run and step transitions are published to (`default` on AWS); unset: published nowhere. */
    RUN_EVENTS_BUS: z.string().min(1).optional(),
    /** The local runtime keeps the metrics in process for its GET /metrics; on AWS they are EMF lines only. */
    LOCAL_METRICS: z.enum(['true', 'false']).default('false'),
    /** Whether member-cluster endpoints may be loopback addresses: the local runtime sets true (kind clusters); AWS never should. */
    CLUSTER_ENDPOINT_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false'),
    /** Comma-separated CIDRs and host names (`*.example.com`) cluster endpoints must match; empty: any allowed address. */
    CLUSTER_ENDPOINT_ALLOW: z
      .string()
      .default('')
      .transform((value, ctx) => {
        try {
          return parseAllowList(value);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: errorMessage(err) });
          return z.NEVER;
        }
      }),
  })
  .refine((env) => env.CREDENTIALS_KMS_KEY_ID !== undefined || env.CREDENTIALS_KEY_FILE !== undefined, {
    message: 'set CREDENTIALS_KMS_KEY_ID (AWS) or CREDENTIALS_KEY_FILE (local mode) to seal cluster credentials',
    path: ['CREDENTIALS_KMS_KEY_ID'],
  });

export type FunctionConfig = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid Flotilla function configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    aws: awsSettingsFromEnv(env),
    tableName: e.TABLE_NAME,
    queues: { planner: e.PLANNER_QUEUE_URL, applier: e.APPLIER_QUEUE_URL, health: e.HEALTH_QUEUE_URL },
    credentials:
      e.CREDENTIALS_KMS_KEY_ID !== undefined
        ? ({ kind: 'kms', keyId: e.CREDENTIALS_KMS_KEY_ID } as const)
        : ({ kind: 'key-file', path: e.CREDENTIALS_KEY_FILE ?? '' } as const),
    engine: {
      defaultStepTimeoutSeconds: e.DEFAULT_STEP_TIMEOUT_SECONDS,
      maxRecheckDelaySeconds: e.MAX_RECHECK_DELAY_SECONDS,
      inlinePayloadBytes: defaultEngineSettings.inlinePayloadBytes,
      inlineHealthWaitMs: defaultEngineSettings.inlineHealthWaitMs,
      maxOrderReceives: defaultEngineSettings.maxOrderReceives,
      orderLostAfterSeconds: e.ORDER_LOST_AFTER_SECONDS,
      planBudgetMs: defaultEngineSettings.planBudgetMs,
    },
    driftIntervalSeconds: e.DRIFT_INTERVAL_SECONDS,
    recordBudgetMs: e.RECORD_BUDGET_SECONDS * 1000,
    maxBodyBytes: e.MAX_BODY_BYTES,
    prices: pricesWith(e.PRICES),
    clusterEndpoints: { allowLoopback: e.CLUSTER_ENDPOINT_ALLOW_LOOPBACK === 'true', allow: e.CLUSTER_ENDPOINT_ALLOW },
    ciEventsQueueUrl: e.CI_EVENTS_QUEUE_URL,
    localMetrics: e.LOCAL_METRICS === 'true',
    runEventsBus: e.RUN_EVENTS_BUS,
    slack: { inlineBudgetMs: e.SLACK_INLINE_BUDGET_MS, responseUrlOrigins: e.SLACK_RESPONSE_URL_ORIGINS.map((origin) => new URL(origin).origin) },
  };
}

export const config = readConfig();
