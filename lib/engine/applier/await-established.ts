import { setTimeout as sleep } from 'node:timers/promises';
import { isCustomResourceDefinition, isEstablished } from '../../core/object/apply-phases.ts';
import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import type { ClusterClient } from '../ports/cluster-client.ts';
import { pauseAfterPoll } from './quick-polls.ts';

/** How long the CRDs just applied get to be served before their custom resources are applied anyway. */
const establishBudgetMs = 10_000;

/**
 * The API server serves a new CRD's resources a moment after accepting it (the custom resources of a CRD applied in the
 * same request would be refused with 404), so after the CRD phase each CRD is read until it reports Established. Past
 * the budget the apply goes on, and a refusal is the API server's own.
 */
export async function awaitEstablished(client: ClusterClient, applied: readonly KubernetesObject[]): Promise<void> {
  const pending = applied.filter(isCustomResourceDefinition);
  const until = Date.now() + establishBudgetMs;
  for (let poll = 0; pending.length > 0; poll++) {
    const live = await Promise.all(pending.map((crd) => client.read(crd)));
    for (let i = pending.length - 1; i >= 0; i--) if (isEstablished(live[i])) pending.splice(i, 1);
    const pause = pauseAfterPoll(poll);
    if (pending.length === 0 || Date.now() + pause > until) return;
    await sleep(pause);
  }
}
