// The stack's settings and where they come from: defaults here, overrides from CDK context (cdk.json or
// `npx cdk deploy -c flotilla:applierConcurrency=40`). Context values given with -c arrive as strings.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod';
import { parseAllowList } from '../lib/core/cluster/endpoint-policy.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

export interface FlotillaSettings {
  /** Reserved concurrency of the applier: the most member-cluster work running at once. */
  applierConcurrency: number;
  /** How often the refresh function refreshes health, and how often it re-applies for drift correction. */
  refreshMinutes: number;
  driftMinutes: number;
  /** How often the planner sweeps for runs and targets whose messages were lost. */
  sweepMinutes: number;
  logRetention: RetentionDays;
  /** Steady-state requests per second and burst for the whole HTTP API. */
  apiRateLimit: number;
  apiBurstLimit: number;
  /** Subscribed to the alarm topic when given. */
  alarmEmail: string | undefined;
  /**
   * CLUSTER_ENDPOINT_ALLOW of every control-plane function: the CIDRs and host names member-cluster endpoints must
   * match (empty: any private or public address). Loopback is never allowed on AWS; metadata and link-local never.
   */
  clusterEndpointAllow: string;
}

export const defaultSettings: FlotillaSettings = {
  applierConcurrency: 20,
  refreshMinutes: 2,
  driftMinutes: 5,
  sweepMinutes: 1,
  logRetention: RetentionDays.ONE_MONTH,
  apiRateLimit: 50,
  apiBurstLimit: 100,
  alarmEmail: undefined,
  clusterEndpointAllow: '',
};

const retentionDays = new Set<number>(Object.values(RetentionDays).filter((value) => typeof value === 'number'));
const count = z.coerce.number().int().positive();

const Context = z.object({
  'flotilla:stackName': z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/).default('Flotilla'),
  'flotilla:applierConcurrency': count.min(4).default(defaultSettings.applierConcurrency),
  'flotilla:refreshMinutes': count.default(defaultSettings.refreshMinutes),
  'flotilla:driftMinutes': count.default(defaultSettings.driftMinutes),
  'flotilla:sweepMinutes': count.default(defaultSettings.sweepMinutes),
  'flotilla:logRetentionDays': count
    .refine((days) => retentionDays.has(days), 'must be a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, ...)')
    .default(defaultSettings.logRetention),
  'flotilla:apiRateLimit': count.default(defaultSettings.apiRateLimit),
  'flotilla:apiBurstLimit': count.default(defaultSettings.apiBurstLimit),
  'flotilla:alarmEmail': z.email().optional(),
  'flotilla:clusterEndpointAllow': z
    .string()
    .default(defaultSettings.clusterEndpointAllow)
    .superRefine((value, ctx) => {
      // The functions would refuse it at cold start; refuse it at synth instead, with the same reason.
      try {
        parseAllowList(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: errorMessage(err) });
      }
    }),
});

export function settingsFromContext(node: Node): { stackName: string; settings: FlotillaSettings } {
  const raw = Object.fromEntries(Object.keys(Context.shape).map((key) => [key, node.tryGetContext(key)]));
  const parsed = Context.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid Flotilla context: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const c = parsed.data;
  return {
    stackName: c['flotilla:stackName'],
    settings: {
      applierConcurrency: c['flotilla:applierConcurrency'],
      refreshMinutes: c['flotilla:refreshMinutes'],
      driftMinutes: c['flotilla:driftMinutes'],
      sweepMinutes: c['flotilla:sweepMinutes'],
      logRetention: c['flotilla:logRetentionDays'] as RetentionDays,
      apiRateLimit: c['flotilla:apiRateLimit'],
      apiBurstLimit: c['flotilla:apiBurstLimit'],
      alarmEmail: c['flotilla:alarmEmail'],
      clusterEndpointAllow: c['flotilla:clusterEndpointAllow'],
    },
  };
}
