import * as z from 'zod';
import { DiscoveredScope, type KindScopes } from '../object/kind-scopes.ts';

/**
 * Discovery answers the applier recorded on a cluster record, so the API and the planner (which cannot open cluster
 * credentials) can use them. Bound to the credential version they were read with; each answer carries its time.
 */
export const KindDiscovery = z.object({
  credentialVersion: z.int().positive(),
  kinds: z.record(z.string(), z.object({ scope: DiscoveredScope, at: z.iso.datetime() })),
});
export type KindDiscovery = z.infer<typeof KindDiscovery>;

/** Stored answers are used this long; a CRD installed or removed since shows within it. */
export const discoveryTtlMs = 60_000;
/** At most this many kinds are kept per cluster record, newest first. */
export const maxRecordedKinds = 200;

/** The answers still fresh at `now` (and, with `since`, no older than it) for the record's current credentials. */
export function freshKindScopes(discovery: KindDiscovery | undefined, credentialVersion: number, now: Date, since?: Date): KindScopes {
  if (discovery === undefined || discovery.credentialVersion !== credentialVersion) return {};
  const oldest = Math.max(now.getTime() - discoveryTtlMs, since?.getTime() ?? -Infinity);
  const fresh: Record<string, DiscoveredScope> = {};
  for (const [key, answer] of Object.entries(discovery.kinds)) {
    if (Date.parse(answer.at) >= oldest) fresh[key] = answer.scope;
  }
  return fresh;
}

/** The record's answers with `answers` (read at `at`) added; stale answers and answers of older credentials dropped. */
export function withDiscovered(discovery: KindDiscovery | undefined, credentialVersion: number, answers: KindScopes, at: Date): KindDiscovery {
  const kept = discovery?.credentialVersion === credentialVersion ? discovery.kinds : {};
  const stamp = at.toISOString();
  const merged = { ...kept, ...Object.fromEntries(Object.entries(answers).map(([key, scope]) => [key, { scope, at: stamp }])) };
  const oldest = at.getTime() - discoveryTtlMs;
  const entries = Object.entries(merged)
    .filter(([, answer]) => Date.parse(answer.at) >= oldest)
    .sort(([, a], [, b]) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, maxRecordedKinds);
  return { credentialVersion, kinds: Object.fromEntries(entries) };
}
