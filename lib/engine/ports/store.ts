import type { NotificationTargetRecord } from '../../core/notify/notification-target.ts';
import type { RunUsage } from '../../core/cost/usage.ts';
import { RunRecord } from '../../core/run/run.ts';
import { TargetRecord, type TargetView, type Completion, type StepTally, type TargetOutcome, type TargetPlacement } from '../../core/run/target.ts';
import { InventoryRecord, OrphanRecord } from '../../core/run/inventory.ts';
import { ApplicationRecord, RevisionRecord, type SubmitScope } from '../../core/application/application-record.ts';
import { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import { TokenRecord } from '../../core/token/token-record.ts';
import { TriggerRecord } from '../../core/trigger/trigger-record.ts';
import { DeliveryRecord, type Claim } from '../../core/trigger/delivery-record.ts';
import { ChatIntegrationRecord } from '../../core/chatops/chat-integration-record.ts';
import { Application } from '../../core/application/application.ts';
import { type PlannedTarget } from '../../core/run/target.ts';
import type { SealedSecret } from '../../core/secret/sealed-secret.ts';
import type { QueryPart } from '../../core/query/cluster-query.ts';

/** Every stored record carries the optimistic-concurrency counter; 1 on create, +1 per accepted write. */
export interface Versioned {
  version: number;
}

/** The write contract every versioned aggregate offers; stores extend it with reads in their own words. */
export interface VersionedWrites<T extends Versioned> {
  /** Stores the record as version 1; ConflictError('already-exists') when the key is taken. */
  create(record: T): Promise<T>;
  /** ConflictError('changed') unless the stored record is still at `expectedVersion`; the result has the new version. */
  replace(record: T, expectedVersion: number): Promise<T>;
}

/** `replace` records step and run phase changes. */
export interface RunStore extends VersionedWrites<RunRecord> {
  get(runId: string): Promise<RunRecord | undefined>;
  /** Newest first; read from the group index (eventually consistent on DynamoDB). */
  listForApplication(namespace: string, name: string): Promise<RunRecord[]>;
  /** The newest run only: one item read from the group index, however many runs the application has had. */
  newestForApplication(namespace: string, name: string): Promise<RunRecord | undefined>;
  /**
   * Makes `runId` the application's live run, the only one whose orders may apply, unless a newer run (a greater
   * id: run ids sort by creation time) already is. Answers the run it displaced, or the newer one that keeps it.
   */
  claimLive(namespace: string, name: string, runId: string): Promise<LiveClaim>;
  /** The application's live run id, read strongly consistent. */
  liveRun(namespace: string, name: string): Promise<string | undefined>;
}

export type LiveClaim = { claimed: true; displaced: string | undefined } | { claimed: false; live: string };

export interface TargetStore {
  /**
   * Records a step's targets and its tally. Safe to repeat with the same placements (targets already there are kept);
   * repeating with different placements is refused, since the tally would no longer match.
   */
  register(runId: string, stepId: string, placements: PlannedTarget[], now?: Date): Promise<TargetRecord[]>;
  get(runId: string, stepId: string, placement: TargetPlacement): Promise<TargetRecord | undefined>;
  /** The targets of these placements that exist, in their order, read by key (no listing of the step). */
  getMany(runId: string, stepId: string, placements: readonly TargetPlacement[]): Promise<TargetRecord[]>;
  listForRun(runId: string): Promise<TargetRecord[]>;
  /** The run's targets without their rendered objects (status). */
  listViewsForRun(runId: string): Promise<TargetView[]>;
  listForStep(runId: string, stepId: string): Promise<TargetRecord[]>;
  /** Progress short of completion (applying, attempts, interim health); version-checked. */
  replace(target: TargetRecord, expectedVersion: number): Promise<TargetRecord>;
  /** Finishes a target once: its first outcome sticks, and the step tally gains it exactly once. */
  complete(runId: string, stepId: string, placement: TargetPlacement, outcome: TargetOutcome, now?: Date): Promise<Completion>;
  tally(runId: string, stepId: string): Promise<StepTally | undefined>;
}

export interface RemovalProblem {
  cluster: string;
  revision: number;
  message: string;
}

export interface InventoryStore {
  /** Creates the inventory, or replaces it when `expectedVersion` (the version read) is given. */
  record(inventory: InventoryRecord, expectedVersion?: number): Promise<InventoryRecord>;
  get(namespace: string, application: string, cluster: string, revision: number): Promise<InventoryRecord | undefined>;
  listForApplication(namespace: string, application: string): Promise<InventoryRecord[]>;
  /** The application's inventories whose removal keeps failing, read without their resource lists (status). */
  removalProblems(namespace: string, application: string): Promise<RemovalProblem[]>;
  /** Every application's inventories in one cluster; read from the group index. */
  listForCluster(cluster: string): Promise<InventoryRecord[]>;
  /** With `expectedVersion`: ConflictError('changed') when the inventory moved on or is gone. */
  remove(inventory: InventoryRecord, expectedVersion?: number): Promise<void>;
  recordOrphans(orphans: OrphanRecord): Promise<OrphanRecord>;
  listOrphans(): Promise<OrphanRecord[]>;
}

/**
 * The records an applier order is fenced by, read together in one strongly consistent request (BatchGetItem; no
 * transaction, which the embedded mode lacks): each is as fresh as a single read of it, though not one snapshot.
 */
export interface OrderReadStore {
  read(request: OrderReadRequest): Promise<OrderRead>;
}

export interface OrderReadRequest {
  runId: string;
  /** Reads the application's live-run pointer. */
  application?: { namespace: string; name: string };
  target?: { stepId: string; placement: TargetPlacement };
  /** Reads the cluster record. */
  cluster?: string;
  inventory?: { namespace: string; application: string; cluster: string; revision: number };
}

/** What was found; a field is absent when its record is (or was not asked for). */
export interface OrderRead {
  run?: RunRecord;
  liveRunId?: string;
  target?: TargetRecord;
  cluster?: ClusterRecord;
  inventory?: InventoryRecord;
}

export type SubmitResult =
  | { outcome: 'created'; application: ApplicationRecord; revision: RevisionRecord }
  | {
      /** Nothing was written; `revision` is the current one. */
      outcome: 'unchanged';
      /** `same-spec`: no change at all; `same-publish-version`: spec edits under the current publishVersion, not run. */
      because: 'same-spec' | 'same-publish-version';
      application: ApplicationRecord;
      revision: RevisionRecord;
    };

export interface SubmitOptions {
  basedOn?: number;
  /** The scope the document was submitted under, stored with a new revision (see SubmitScope). */
  scope?: SubmitScope;
  /** The document's Secret values, taken out of it (lib/engine/secrets/application-secrets.ts). */
  secrets?: SubmittedSecrets;
}

export interface SubmittedSecrets {
  /** The keyed digest of the values, part of the spec hash so that a changed value is a new revision. */
  digest: string;
  /** Seals the values for revision N; called only when a revision is about to be written. */
  seal(revision: number): Promise<SealedSecret>;
}

export interface ApplicationStore {
  /**
   * Stores a new revision (numbered after the newest) when the document differs from the current revision by the rule
   * of compareWithCurrent (a new publishVersion, or without one a new spec hash); otherwise reports `unchanged` with
   * the current one. Concurrent submits of the same document create exactly one revision.
   * `basedOn`: the revision the document was derived from (a trigger changing one image); ConflictError('changed')
   * once another revision became current, so that a derived document never overwrites a change it did not see.
   */
  submit(application: Application, now?: Date, options?: SubmitOptions): Promise<SubmitResult>;
  get(namespace: string, name: string): Promise<ApplicationRecord | undefined>;
  list(namespace: string): Promise<ApplicationRecord[]>;
  /** Every namespace; read from the group index, so it may lag a write by a moment on AWS. */
  listAll(): Promise<ApplicationRecord[]>;
  getRevision(namespace: string, name: string, revision: number): Promise<RevisionRecord | undefined>;
  /** Newest first. */
  listRevisions(namespace: string, name: string): Promise<RevisionRecord[]>;
  /**
   * Points the application back at an earlier stored revision (`vela workflow rollback`): it becomes current, so
   * submits are compared with it and restarts and triggers start from it; the newest number is kept, so the next
   * revision gets a fresh one. ConflictError('changed') unless the header is still at `expectedVersion`.
   */
  rollBack(namespace: string, name: string, revision: number, expectedVersion: number, now?: Date): Promise<ApplicationRecord>;
  /** Marks the application as being deleted; submits are refused from then on. */
  markDeleting(namespace: string, name: string, expectedVersion: number, now?: Date): Promise<ApplicationRecord>;
  /** Removes the application and its revisions, once its objects are gone from every cluster. */
  purge(namespace: string, name: string): Promise<void>;
}

/** Member clusters, all in one partition so that a listing is strongly consistent right after a join. */
export interface ClusterStore extends VersionedWrites<ClusterRecord> {
  get(name: string): Promise<ClusterRecord | undefined>;
  list(): Promise<ClusterRecord[]>;
  remove(record: ClusterRecord, expectedVersion: number): Promise<void>;
}

export interface TokenStore extends VersionedWrites<TokenRecord> {
  get(id: string): Promise<TokenRecord | undefined>;
  list(): Promise<TokenRecord[]>;
  /**
   * Sets `lastUsedAt` to `at` only if the token exists and its `lastUsedAt` is absent or before `ifBefore`; leaves the
   * version alone (bookkeeping, not a change of the token). Answers whether it wrote.
   */
  recordUse(id: string, at: string, ifBefore: string): Promise<boolean>;
}

export interface TriggerStore extends VersionedWrites<TriggerRecord> {
  get(id: string): Promise<TriggerRecord | undefined>;
  /** Every trigger of every application: a single-partition, strongly consistent Query. */
  list(): Promise<TriggerRecord[]>;
  remove(record: TriggerRecord, expectedVersion: number): Promise<void>;
}

/**
 * Deliveries a trigger accepted, so that each delivery id is processed once, and the signatures of timestamped
 * requests seen inside their replay window, so that a captured request cannot be played again. Both are claimed with
 * one conditional put (no transactions) and expire through the table's TTL attribute; as DynamoDB deletes expired
 * items only eventually (and emulators never), an item past its `ttl` counts as absent and may be claimed again.
 */
export interface DeliveryStore {
  /** Claims the delivery for processing, held for `holdSeconds`; or the record of whoever claimed it first. */
  claim(triggerId: string, deliveryId: string, now: Date, holdSeconds: number): Promise<Claim>;
  /** Records how a claimed delivery went, kept for `keepSeconds` so redeliveries find it. */
  complete(record: Omit<DeliveryRecord, 'state' | 'ttl'> & { outcome: 'deployed' | 'unchanged' }, now: Date, keepSeconds: number): Promise<void>;
  /** Gives a claim up after a failure, so the sender's retry is processed. */
  release(triggerId: string, deliveryId: string): Promise<void>;
  get(triggerId: string, deliveryId: string, now: Date): Promise<DeliveryRecord | undefined>;
  /** Records a request signature until `expiresAt`; false when it was already recorded (a replay). */
  rememberSignature(scheme: string, signature: string, now: Date, expiresAt: Date): Promise<boolean>;
}

/** The chat integrations, one record per chat system (Slack for now). */
export interface ChatIntegrationStore extends VersionedWrites<ChatIntegrationRecord> {
  get(system: 'slack'): Promise<ChatIntegrationRecord | undefined>;
  remove(record: ChatIntegrationRecord, expectedVersion: number): Promise<void>;
}

/** One per application at most: where its run events are posted. */
export interface NotificationTargetStore extends VersionedWrites<NotificationTargetRecord> {
  get(namespace: string, application: string): Promise<NotificationTargetRecord | undefined>;
  remove(record: NotificationTargetRecord, expectedVersion: number): Promise<void>;
}

export interface PayloadAddress {
  runId: string;
  stepId: string;
  cluster: string;
  namespace: string;
}

/** Large target payloads, stored gzip-compressed so what would overflow an SQS message is referenced, not truncated. */
export interface PayloadStore {
  put(address: PayloadAddress, value: unknown): Promise<string>;
  get(reference: string): Promise<unknown>;
}

/** The AWS usage each run caused (totals and per target), kept beside the run and only ever added to. */
export interface UsageStore {
  /** One write however many targets `usage` names: a batch's share is recorded at once. */
  add(runId: string, usage: RunUsage): Promise<void>;
  get(runId: string): Promise<RunUsage>;
}

/**
 * Cluster queries (live diff, endpoints, logs): the API stores each part with what it asks, the applier stores the
 * answer in its place. Parts expire through the table's TTL; one past its `expiresAt` reads as absent.
 */
export interface QueryStore {
  create(parts: readonly QueryPart[], expiresAt: Date): Promise<void>;
  /** The query's parts by index; empty when it is unknown or expired. */
  list(queryId: string, now: Date): Promise<QueryPart[]>;
  get(queryId: string, index: number, now: Date): Promise<QueryPart | undefined>;
  /** Replaces the part with its answer (or failure), keeping its expiry. */
  answer(part: QueryPart): Promise<void>;
}

/** Every aggregate of Flotilla's single table, each behind its own small interface. */
export interface Store {
  clusters: ClusterStore;
  applications: ApplicationStore;
  inventories: InventoryStore;
  runs: RunStore;
  targets: TargetStore;
  tokens: TokenStore;
  payloads: PayloadStore;
  usage: UsageStore;
  triggers: TriggerStore;
  deliveries: DeliveryStore;
  chatIntegrations: ChatIntegrationStore;
  queries: QueryStore;
  notificationTargets: NotificationTargetStore;
  orderReads: OrderReadStore;
}
