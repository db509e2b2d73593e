/** The bounds of a cluster query: what one may ask of a member cluster through the applier, and how long it may take. */
export const queryLimits = {
  /** Log lines per container when `tail` is not given, and the most `tail` may ask for. */
  defaultTailLines: 100,
  maxTailLines: 1000,
  /** Bytes of log per container (the kubelet stops there: `limitBytes`). */
  maxLogBytesPerContainer: 32 * 1024,
  /** Pods whose logs one query part reads; more are listed as skipped. */
  maxPodsPerPart: 10,
  /** The applier gives up on a part past this and records what it has. */
  partBudgetMs: 10_000,
  /** The JSON of one part's answer is kept under this (DynamoDB items hold 400 KB). */
  maxAnswerBytes: 256 * 1024,
  /** Answers are kept this long for the poll URL, then expire. */
  keepSeconds: 600,
  /** The API waits this long for the applier before answering 202 with the poll URL. */
  waitMs: 15_000,
} as const;
