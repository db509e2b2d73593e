import type { RunPhase } from '../run/run.ts';
import type { AppPhase } from './application-status.ts';

export interface AppPhaseInput {
  deleting: boolean;
  /** The phase of the run being reported; absent before the application's first run. */
  run?: RunPhase | undefined;
  services: readonly { healthy: boolean }[];
}

/**
 * The application's phase word, as KubeVela words it. Health only decides between `running` and `unhealthy` once the
 * workflow has succeeded: KubeVela showed healthy on a terminated workflow (kubevela#4293), and a terminated or failed
 * workflow is never reported healthy here. A failed run is `workflowFailed`, not `runningWorkflow` (kubevela#6942).
 */
export function appPhase(input: AppPhaseInput): AppPhase {
  if (input.deleting) return 'deleting';
  switch (input.run) {
    case undefined:
      return 'rendering';
    case 'running':
      return 'runningWorkflow';
    case 'suspended':
      return 'workflowSuspending';
    case 'terminated':
      return 'workflowTerminated';
    case 'failed':
      return 'workflowFailed';
    case 'succeeded':
      return input.services.every((service) => service.healthy) ? 'running' : 'unhealthy';
  }
}
