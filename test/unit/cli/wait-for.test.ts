import { describe, expect, it } from 'vitest';
import { ApiRequestError, ApiUnreachableError } from '../../../cli/client/api-client.ts';
import { plainProgress } from '../../../cli/output/progress-output.ts';
import { waitForDeletion, waitForRevision } from '../../../cli/wait-for.ts';
import { assessRevision, revisionNumber } from '../../../cli/output/wait-progress.ts';
import type { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { cliFixtureJson } from './cli-harness.ts';

const basic = cliFixtureJson('api/status-basic.json') as ApplicationStatus;

function fakeClock() {
  let time = 0;
  return { now: () => time, sleep: async (ms: number) => void (time += ms) };
}

/** A status client that answers from a script: a status, or an error to throw. */
function scripted(...answers: (ApplicationStatus | Error)[]) {
  let calls = 0;
  return {
    calls: () => calls,
    status: async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('waitForRevision', () => {
  it('retries while the API cannot be reached, showing it, until the run is done', async () => {
    let shown = '';
    const client = scripted(new ApiUnreachableError('cannot reach the Flotilla API at http://x: ECONNRESET'), basic);
    const outcome = await waitForRevision({
      client,
      namespace: 'default',
      name: 'example-app',
      revision: 'example-app-v1',
      timeoutMs: 60_000,
      intervalMs: 1000,
      clock: fakeClock(),
      progress: plainProgress((text) => void (shown += text)),
    });
    expect(outcome).toEqual({ outcome: 'succeeded', status: basic });
    expect(client.calls()).toBe(2);
    expect(shown.split('\n')[0]).toBe('retrying: cannot reach the Flotilla API at http://x: ECONNRESET');
  });

  it('lets other errors through at once', async () => {
    const client = scripted(new ApiRequestError(403, 'forbidden', 'this token is limited to namespaces team-a, not default'));
    const waiting = waitForRevision({ client, namespace: 'default', name: 'example-app', revision: 'example-app-v1', timeoutMs: 60_000, intervalMs: 1000, clock: fakeClock(), progress: plainProgress(() => {}) });
    await expect(waiting).rejects.toBeInstanceOf(ApiRequestError);
    expect(client.calls()).toBe(1);
  });
});

describe('waitForDeletion', () => {
  it('is done at the 404, and stops on other errors', async () => {
    const gone = new ApiRequestError(404, 'application_not_found', 'no application example-app in namespace default');
    const options = { namespace: 'default', name: 'example-app', timeoutMs: 60_000, intervalMs: 1000, clock: fakeClock(), progress: plainProgress(() => {}) };
    expect(await waitForDeletion({ ...options, client: scripted(basic, gone) })).toEqual({ outcome: 'deleted' });
    await expect(waitForDeletion({ ...options, client: scripted(new ApiRequestError(401, 'unauthenticated', 'revoked')) })).rejects.toThrow('revoked');
  });
});

describe('assessRevision', () => {
  const withWorkflow = (change: Partial<NonNullable<ApplicationStatus['workflow']>>, about: Partial<ApplicationStatus['about']> = {}): ApplicationStatus => ({
    ...basic,
    about: { ...basic.about, ...about },
    workflow: { ...basic.workflow!, ...change },
  });

  it('is done when the run of that revision finished without a failed step', () => {
    expect(assessRevision(basic, 'example-app-v1').outcome).toBe('succeeded');
  });

  it('waits while another, older revision is still shown', () => {
    expect(assessRevision(basic, 'example-app-v2')).toEqual({
      outcome: 'waiting',
      lines: [{ key: 'app', text: 'example-app-v2: waiting for its workflow to start', state: 'active' }],
    });
  });

  it('waits while suspended, saying how to go on', () => {
    const suspended = withWorkflow({ finished: false, suspend: true, steps: [{ id: 'a', name: 'approve', type: 'suspend', phase: 'suspending', message: '' }] }, { status: 'workflowSuspending', namespace: 'team-a' });
    const assessment = assessRevision(suspended, 'example-app-v1');
    expect(assessment.outcome).toBe('waiting');
    expect(assessment.lines.at(-1)).toEqual({ key: 'suspended', text: 'suspended until resumed: flotilla workflow resume example-app -n team-a', state: 'paused' });
    expect(assessment.lines.find((line) => line.key === 'step:a')?.state).toBe('paused');    // The hint names the namespace even when it is default: FLOTILLA_NAMESPACE or login may make another the default.
    const inDefault = withWorkflow({ finished: false, suspend: true, steps: [{ id: 'a', name: 'approve', type: 'suspend', phase: 'suspending', message: '' }] }, { status: 'workflowSuspending' });
    expect(assessRevision(inDefault, 'example-app-v1').lines.at(-1)?.text).toBe('suspended until resumed: flotilla workflow resume example-app -n default');
  });

  it.each([
    [{ finished: true, terminated: true }, {}, 'the workflow of example-app-v1 was terminated'],
    [{ finished: true, steps: [{ id: 'a', name: 'deploy-x', type: 'deploy', phase: 'failed' as const, message: '' }] }, { status: 'workflowFailed' as const }, 'step deploy-x failed'],
    [{ finished: true, steps: [{ id: 'a', name: 'deploy-x', type: 'deploy', phase: 'failed' as const, message: 'namespaces "x" not found' }] }, { status: 'workflowFailed' as const }, 'step deploy-x failed: namespaces "x" not found'],
    [{ finished: true, steps: [], message: 'failed to find any cluster matches given labels' }, { status: 'workflowFailed' as const }, 'failed to find any cluster matches given labels'],
    [{ finished: true, steps: [] }, { status: 'workflowFailed' as const }, 'the workflow of example-app-v1 failed'],
  ])('fails a finished run: %j', (workflow, about, message) => {
    expect(assessRevision(withWorkflow(workflow, about), 'example-app-v1')).toMatchObject({ outcome: 'failed', message });
  });

  it('fails while deleting', () => {
    expect(assessRevision({ ...basic, about: { ...basic.about, status: 'deleting' } }, 'example-app-v1')).toMatchObject({ outcome: 'failed', message: 'example-app is being deleted' });
  });

  it('reads revision numbers', () => {
    expect([revisionNumber('example-app-v12'), revisionNumber('v-v2'), revisionNumber('odd')]).toEqual([12, 2, 0]);
  });
});
