import { collectGarbage } from '../keeper/collect-garbage.ts';
import { deleteApplication } from '../keeper/delete-application.ts';
import type { PlannerMessage } from '../messages/planner-message.ts';
import { advanceRun } from './advance-run.ts';
import type { Engine } from '../context.ts';
import { startRun, supersedeActiveRuns } from './start-run.ts';
import { sweep } from './sweep.ts';
import { operateRun } from './workflow-operations.ts';
import { recordDelivery } from './outbound-step.ts';

/** The planner function's work for one message. Every branch is idempotent, so SQS's at-least-once delivery is fine. */
export async function plan(engine: Engine, message: PlannerMessage): Promise<string> {
  switch (message.kind) {
    case 'run': {
      const run = await startRun(engine, message);
      return run ? `run ${run.runId} of ${message.namespace}/${message.name} revision ${message.revision}` : 'nothing to run';
    }
    case 'advance': {
      const due = message.at === undefined ? 0 : Date.parse(message.at) - engine.now().getTime();
      if (due > 0) {
        // SQS delays stop at 15 minutes: a later deadline is reached in hops.
        await engine.queues.toPlanner([message], due / 1000);
        return `advance of ${message.runId} re-queued for ${message.at}`;
      }
      const run = await advanceRun(engine, message.runId);
      return `run ${message.runId} is ${run?.phase ?? 'gone'}`;
    }
    case 'sweep': {
      const swept = await sweep(engine, message);
      return `sweep: ${swept.runsStarted} runs started, ${swept.runsAdvanced} advanced, ${swept.ordersResent} orders sent again, ${swept.deletesResumed} deletions resumed, ${swept.collectionsResumed} collections resumed`;
    }
    case 'operate':
      return operateRun(engine, message);
    case 'delivered': {
      const recorded = await recordDelivery(engine, message);
      if (recorded) await advanceRun(engine, message.runId);
      return `step ${message.stepId} of run ${message.runId}: ${recorded ? message.message : 'already closed'}`;
    }
    case 'collect':
      return `garbage collection removes ${await collectGarbage(engine, message)} objects`;
    case 'delete': {
      // Only the planner writes runs: it stops them, then the keeper removes what they applied.
      if (!(await engine.store.applications.get(message.namespace, message.name))) return `delete of ${message.namespace}/${message.name}: absent`;
      await supersedeActiveRuns(engine, message.namespace, message.name, 'application deleted');
      return `delete of ${message.namespace}/${message.name}: ${await deleteApplication(engine, message)}`;
    }
  }
}
