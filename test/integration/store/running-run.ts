// A submitted application with a run of it in its one deploy step, written straight to the store: the starting point
// of the store-level tests of a large step.
import { Application } from '../../../lib/core/application/application.ts';
import { newRunId, type RunRecord } from '../../../lib/core/run/run.ts';
import type { Store } from '../../../lib/engine/ports/store.ts';

export async function createRunningRun(store: Store, name: string, stepName: string, now: Date): Promise<RunRecord> {
  const submitted = await store.applications.submit(
    Application.parse({
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name, namespace: 'default' },
      spec: { components: [{ name: 'hello', type: 'webservice', properties: { image: 'nginx:1' } }] },
    }),
    now,
  );
  const at = now.toISOString();
  const run: RunRecord = {
    runId: newRunId(now),
    namespace: 'default',
    application: name,
    revision: submitted.revision.revision,
    revisionName: submitted.revision.revisionName,
    mode: 'StepByStep',
    phase: 'running',
    steps: [{ id: 'deploy0001', name: stepName, type: 'deploy', phase: 'running', startedAt: at }],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await store.runs.create(run);
  return run;
}
