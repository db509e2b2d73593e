/**
 * The order could not be carried out for a reason that should pass (the cluster is unreachable, throttling, 5xx). The
 * function reports the message as failed so SQS delivers it again after `delaySeconds`; FIFO keeps the cluster's later
 * orders behind it, which is what per-cluster order means, while other clusters go on.
 */
export class RetryLater extends Error {
  readonly delaySeconds: number;

  constructor(message: string, delaySeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLater';
    this.delaySeconds = delaySeconds;
  }
}

/** 1, 2, 4, 8 ... seconds by attempt (1-based), capped. */
export function backoffSeconds(attempt: number, maxSeconds: number): number {
  return Math.min(maxSeconds, 2 ** Math.max(0, Math.min(attempt - 1, 10)));
}
