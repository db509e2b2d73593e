import { addUsage, emptyUsage, type RunUsage, type Usage, type UsageTarget } from './usage.ts';

/** One record of a batch as it was metered: whose it was, the AWS requests its work made, and how long that took. */
export interface MeteredRecord {
  /** Absent for work that belongs to no run (a cluster probe, a deletion): its share is counted nowhere. */
  runId?: string | undefined;
  /** The target the record worked for; absent for run-wide work (the planner's). */
  target?: UsageTarget | undefined;
  requests: Usage;
  workMs: number;
}

export interface Invocation {
  /** The handler's duration; Lambda bills it rounded up to the millisecond. */
  durationMs: number;
  /** The function's configured memory. */
  memoryMb: number;
  /** Whether the batch came from a FIFO queue, whose requests are dearer. */
  fifo?: boolean;
  /** SQS requests the handler made about the batch itself (early deletes, redelivery delays), shared like the polling. */
  workerSqsRequests?: number;
}

/**
 * The event source mapping's own SQS requests for a batch, billed to the account like any other: the ReceiveMessage
 * that delivered it and the DeleteMessageBatch that removed it. (Empty long polls between batches belong to no run.)
 */
export const eventSourceRequests = 2;

/** The write that records a run's usage is part of it: one request, at least one write unit. */
export const recordingWrite: Partial<Usage> = { dynamodbRequests: 1, dynamodbWriteUnits: 1 };

/**
 * Splits one invocation between the runs of its records: each record gets the share of the invocation (its count and
 * its GB-seconds) its work took of the records' work (records of different groups run side by side), or an equal
 * share when none took measurable time. Per run: the total, with the recording write, and per target.
 */
export function invocationUsage(records: readonly MeteredRecord[], invocation: Invocation): Map<string, RunUsage> {
  const work = records.reduce((sum, record) => sum + Math.max(0, record.workMs), 0);
  const gbSeconds = (Math.ceil(invocation.durationMs) / 1000) * (invocation.memoryMb / 1024);
  const runs = new Map<string, RunUsage>();
  for (const record of records) {
    if (record.runId === undefined) continue;
    const share = work > 0 ? Math.max(0, record.workMs) / work : 1 / records.length;
    const polled = (eventSourceRequests + (invocation.workerSqsRequests ?? 0)) * share;
    const used = addUsage(record.requests, {
      lambdaInvocations: share,
      lambdaGbSeconds: gbSeconds * share,
      sqsRequests: polled,
      sqsFifoRequests: invocation.fifo === true ? polled : 0,
    });
    const run = runs.get(record.runId) ?? { total: addUsage(emptyUsage(), recordingWrite), targets: [] };
    run.total = addUsage(run.total, used);
    if (record.target !== undefined) {
      const { stepId, cluster, namespace } = record.target;
      const entry = run.targets.find((t) => t.target.stepId === stepId && t.target.cluster === cluster && t.target.namespace === namespace);
      if (entry) entry.usage = addUsage(entry.usage, used);
      else run.targets.push({ target: { stepId, cluster, namespace }, usage: used });
    }
    runs.set(record.runId, run);
  }
  return runs;
}
