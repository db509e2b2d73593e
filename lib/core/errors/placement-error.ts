/**
 * The cluster registry cannot satisfy a topology policy at the moment a step starts: a named cluster is not
 * registered, or a label selector matches nothing. Unlike a ValidationError this depends on the registry, which
 * changes, so the step fails and the workflow retries it (KubeVela behaves the same way). The message is KubeVela's.
 */
export class PlacementError extends Error {
  readonly policy: string;
  readonly reason: 'ClusterNotFound' | 'NoClusterMatches';
  /** The deploy step being planned, once known. */
  readonly step: string | undefined;

  constructor(policy: string, reason: PlacementError['reason'], message: string, step?: string) {
    super(message);
    this.name = 'PlacementError';
    this.policy = policy;
    this.reason = reason;
    this.step = step;
  }

  inStep(step: string): PlacementError {
    return new PlacementError(this.policy, this.reason, this.message, step);
  }
}
