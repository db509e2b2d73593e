import * as z from 'zod';
import { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { ResourceReference } from '../../core/run/inventory.ts';
import { TargetPayload } from '../../core/run/target.ts';
import { SealedSecret } from '../../core/secret/sealed-secret.ts';

/** Kinds one discover request asks about at most (each application's object count is bounded too). */
export const maxDiscoverKinds = 100;

const TargetAddress = {
  runId: z.string().min(1),
  stepId: z.string().min(1),
  cluster: z.string().min(1),
  namespace: z.string().min(1),
};

/**
 * Whose revision an order's run runs (never changes for a run): lets the applier read the application's live-run
 * pointer and inventory together with the run in one request. Optional so orders sent before it existed still parse.
 */
export const OrderRun = z.object({ namespace: z.string().min(1), application: z.string().min(1), revision: z.int().positive() });
export type OrderRun = z.infer<typeof OrderRun>;

/** Only the identity: a run record passed in must not drag its steps into every message. */
export function orderRunOf(run: OrderRun): OrderRun {
  return { namespace: run.namespace, application: run.application, revision: run.revision };
}

/**
 * Work for one member cluster. `apply` and `remove` go through the FIFO queue grouped by cluster, so each cluster sees
 * its changes in order; `check` (health re-checks, which need no order) goes through the delay queue.
 */
export const ApplierMessage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('apply'),
    ...TargetAddress,
    of: OrderRun.optional(),
    createNamespace: z.boolean(),
    deadline: z.iso.datetime(),
    payload: TargetPayload,
  }),
  z.object({
    kind: z.literal('check'),
    ...TargetAddress,
    of: OrderRun.optional(),
    attempt: z.int().nonnegative(),
    deadline: z.iso.datetime(),
    payload: TargetPayload,
  }),
  z.object({
    /** Scheduled: read a finished target's health again (status never freezes at deploy time) and, with `reapply`,
     * apply its objects again first (drift correction). */
    kind: z.literal('refresh'),
    ...TargetAddress,
    reapply: z.boolean(),
    /** Makes each scheduled refresh its own message (FIFO deduplicates identical bodies for five minutes). */
    requestedAt: z.iso.datetime(),
  }),
  z.object({
    /** Check a registered cluster with its stored credentials; only the applier may open them. */
    kind: z.literal('probe'),
    cluster: z.string().min(1),
    requestedAt: z.iso.datetime(),
  }),
  z.object({
    /** Read the cluster's discovery for these kinds and record the answers on the cluster record (see KindDiscovery). */
    kind: z.literal('discover'),
    cluster: z.string().min(1),
    kinds: z.array(z.object({ apiVersion: z.string().min(1), kind: z.string().min(1) })).max(maxDiscoverKinds),
    requestedAt: z.iso.datetime(),
  }),
  z.object({
    /** Read from (or dry-run against) a cluster for a caller: the part's request and answer live in the store. */
    kind: z.literal('query'),
    queryId: z.string().min(1),
    index: z.int().nonnegative(),
    cluster: z.string().min(1),
  }),
  z.object({
    /**
     * Post a notification or webhook step's requests, or run events to the application's notification target (then
     * `target` is set and `stepId` is absent), sealed for the run and step (they hold the URL and the HMAC key).
     */
    kind: z.literal('deliver'),
    runId: z.string().min(1),
    stepId: z.string().min(1).optional(),
    target: z.object({ namespace: z.string().min(1), application: z.string().min(1) }).optional(),
    /** 0 for the first try; each retry is queued again, delayed, with the next attempt. */
    attempt: z.int().nonnegative(),
    /** Indexes of the posts delivered by earlier attempts, which a retry does not send again. */
    done: z.array(z.int().nonnegative()).default([]),
    request: SealedSecret,
  }),
  z.object({
    kind: z.literal('remove'),
    namespace: z.string().min(1),
    application: z.string().min(1),
    cluster: z.string().min(1),
    /** The inventory (revision) the objects were recorded under; it is dropped once they are gone. */
    revision: z.int().positive(),
    /** Objects to delete: only what no newer revision holds. */
    resources: z.array(ResourceReference),
    force: z.boolean(),
    /** Each removal pass is its own message: FIFO deduplication must not swallow a second pass over the same objects. */
    requestedAt: z.iso.datetime(),
  }),
]);
export type ApplierMessage = z.infer<typeof ApplierMessage>;
