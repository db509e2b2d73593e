import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApplicationStatus } from '../../../../lib/core/status/application-status.ts';
import { buildStatus } from '../../../../lib/core/status/build-status.ts';
import { renderStatus } from '../../../../lib/core/status/render-status.ts';
import { renderStatusText } from '../../../../lib/core/status/render-status-text.ts';
import { basicUsage, seedScreens } from './seed-screens.ts';
import { publishedPrices } from '../../../../lib/core/cost/prices.ts';
import { usdText } from '../../../../lib/core/status/number-format.ts';
import { application, golden, health, helloWorld, run, step, target } from './status-records.ts';

/**
 * The v1.3 screen as the reference transcribes it (kubevela-semantics.md §5), with Created at in UTC: Flotilla's text
 * must start with exactly these bytes for the seed app.
 */
const referenceScreen = [
  'About:',
  '',
  '  Name:      \texample-app',
  '  Namespace: \tdefault',
  '  Created at:\t2022-03-25 09:42:33 +0000 UTC',
  '  Status:    \trunning',
  '',
  'Workflow:',
  '',
  '  mode: DAG',
  '  finished: true',
  '  Suspend: false',
  '  Terminated: false',
  '  Steps',
  '  - id:wftf9d4exj',
  '    name:deploy-beijing-clusters',
  '    type:deploy',
  '    phase:succeeded ',
  '    message:',
  '',
  'Services:',
  '',
  '  - Name: hello-world-server  ',
  '    Cluster: beijing-1  Namespace: default',
  '    Type: webservice',
  '    Healthy Ready:3/3',
  '    Traits:',
  '      ✅ scaler      ✅ gateway: Visiting URL: testsvc-mc.example.com, IP: 60.205.222.30',
  '',
].join('\n');

describe('renderStatusText', () => {
  it('prints the seed basic.yaml screen in the exact v1.3 layout', () => {
    const text = renderStatusText(buildStatus(seedScreens.basic));
    expect(text.startsWith(referenceScreen)).toBe(true);
    expect(text).toBe(golden('basic.txt'));
  });

  it.each([
    ['namespace-failed.txt', seedScreens.namespaceFailed],
    ['advanced.txt', seedScreens.advanced],
    ['suspended.txt', seedScreens.suspended],
    ['no-traits.txt', seedScreens.noTraits],
  ])('prints %s', (file, input) => {
    expect(renderStatusText(buildStatus(input))).toBe(golden(file));
  });

  it('keeps only the named component with --svc', () => {
    const status = buildStatus(seedScreens.twoComponents);
    expect(renderStatusText(status)).toContain('  - Name: redis  \n');
    expect(renderStatusText(status, { svc: 'hello-world-server' })).toBe(golden('basic.txt'));
    expect(renderStatusText(status, { svc: 'redis' })).toBe(golden('svc-redis.txt'));
    expect(renderStatusText(status, { svc: 'absent' })).toMatch(/Services:\n\nRevision:\n/);
  });

  it('omits the Workflow block when there is no run', () => {
    const text = renderStatusText(buildStatus({ application: application(), targets: [] }));
    expect(text).toBe('About:\n\n  Name:      \texample-app\n  Namespace: \tdefault\n  Created at:\t2022-03-25 09:42:33 +0000 UTC\n  Status:    \trendering\n\nServices:\n\n');
  });

  it("adds Flotilla's health age and the run's cost after the v1.3 screen", () => {
    const status = buildStatus({ ...seedScreens.basic, usage: { usage: basicUsage, prices: publishedPrices } });
    expect(renderStatusText(status, { now: new Date('2022-03-25T09:47:05Z') })).toBe(golden('basic-extras.txt'));
    expect(renderStatusText(status)).toBe(`${golden('basic.txt')}\n${golden('basic-cost.txt')}`);
  });

  it('keeps the request counts of a status without cost figures (an API older than them)', () => {
    const { cost: _, ...status } = buildStatus({ ...seedScreens.basic, usage: { usage: basicUsage, prices: publishedPrices } });
    expect(renderStatusText(status)).toBe(`${golden('basic.txt')}\nRequests:\n\n  DynamoDB:\t42\n  SQS:     \t17\n`);
  });

  it('names the revision the live run executes, and the newest one when that is another (a rollback)', () => {
    const rolledBack = buildStatus({
      ...seedScreens.basic,
      application: application({ currentRevision: 5, latestRevision: 6 }),
      run: run([step('wftf9d4exj', 'deploy-beijing-clusters', 'succeeded')], { revision: 5, revisionName: 'example-app-v5' }),
    });
    expect(rolledBack.revisions).toEqual({ running: 'example-app-v5', newest: 'example-app-v6' });
    expect(renderStatusText(rolledBack)).toContain('\nRevision:\n\n  Running:\texample-app-v5\n  Newest: \texample-app-v6\n');
    // The live run wins over the newest listed run: the listing index may lag, the live item does not.
    const live = run([], { revision: 4, revisionName: 'example-app-v4' });
    expect(buildStatus({ ...seedScreens.basic, live }).revisions?.running).toBe('example-app-v4');
    expect(renderStatusText(buildStatus({ application: application(), targets: [] }))).not.toContain('Revision:');
  });

  it('says when a run deploys to some clusters only (a rollback limited to what its rollout changed), and only then', () => {
    const limited = buildStatus({
      ...seedScreens.basic,
      run: run([step('wftf9d4exj', 'deploy-beijing-clusters', 'succeeded')], { clusters: ['beijing-1', 'beijing-2'] }),
    });
    expect(limited.workflow?.clusters).toEqual(['beijing-1', 'beijing-2']);
    expect(renderStatusText(limited)).toContain('  mode: DAG\n  clusters: beijing-1, beijing-2 (only these)\n  finished: true\n');
    const everywhere = buildStatus(seedScreens.basic);
    expect(everywhere.workflow).not.toHaveProperty('clusters');
    expect(renderStatusText(everywhere)).not.toContain('clusters:');
  });

  it('prints small amounts of money with three significant digits', () => {
    expect([0, 0.0000312, 0.00321, 0.0123, 1.5].map(usdText)).toEqual(['$0', '$0.0000312', '$0.00321', '$0.01', '$1.50']);
  });

  it('reports the oldest health reading, and none when health was never read', () => {
    const input = {
      application: application(),
      run: run([step('wftf9d4exj', 'deploy-beijing-clusters', 'succeeded')]),
      targets: [
        target('wftf9d4exj', 'beijing-1', { detail: health([helloWorld('60.205.222.30')], '2022-03-25T10:00:00.5Z') }),
        target('wftf9d4exj', 'beijing-2', { detail: health([helloWorld('182.92.222.128')], '2022-03-25T10:00:00Z') }),
      ],
    };
    const now = new Date('2022-03-25T13:00:00Z');
    expect(renderStatusText(buildStatus(input), { now })).toMatch(/\n\nHealth:\n\n {2}Checked at:\t2022-03-25 10:00:00 \+0000 UTC \(3h ago\)\n$/);
    const failedEarly = buildStatus({ ...seedScreens.namespaceFailed, targets: seedScreens.namespaceFailed.targets.slice(0, 1) });
    expect(renderStatusText(failedEarly, { now })).not.toContain('Health:');
  });

  it('indents continuation lines of a health message with a tab and prints trait messages as they are', () => {
    const status = buildStatus({
      application: application(),
      run: run([step('wftf9d4exj', 'deploy-beijing-clusters', 'running')], { phase: 'running' }),
      targets: [
        target('wftf9d4exj', 'beijing-1', {
          phase: 'applying',
          detail: health([
            {
              component: 'hello-world-server',
              type: 'webservice',
              healthy: false,
              message: 'Ready:1/3\nwaiting for 2 replicas',
              traits: [
                { type: 'scaler', healthy: true, message: '' },
                { type: 'gateway', healthy: false, message: "No loadBalancer found, visiting by using 'vela port-forward example-app'\n" },
              ],
            },
          ]),
        }),
      ],
    });
    expect(renderStatusText(status).split('Services:\n\n')[1]).toBe(
      [
        '  - Name: hello-world-server  ',
        '    Cluster: beijing-1  Namespace: default',
        '    Type: webservice',
        '    Unhealthy Ready:1/3',
        '\twaiting for 2 replicas',
        '    Traits:',
        "      ✅ scaler      ❌ gateway: No loadBalancer found, visiting by using 'vela port-forward example-app'",
        '',
        'Revision:',
        '',
        '  Running:\texample-app-v1',
        '',
      ].join('\n'),
    );
  });

  it("colours the phase, step phases, health and trait names as vela does, and only when asked", () => {
    const colors = picocolors.createColors(true);
    const plain = renderStatusText(buildStatus(seedScreens.namespaceFailed));
    const coloured = renderStatusText(buildStatus(seedScreens.namespaceFailed), { colors });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain(`Status:    \t${colors.yellow('workflowFailed')}\n`);
    expect(coloured).toContain(`phase:${colors.red('failed')} \n`);
    expect(coloured).toContain(`    ${colors.green('Healthy')} ${colors.green('Ready:3/3')}\n`);
    expect(coloured).toContain(`✅ ${colors.bold(colors.white('scaler'))}`);
    expect(renderStatusText(buildStatus(seedScreens.basic), { colors })).toContain(`Status:    \t${colors.green('running')}\n`);
  });
});

describe('renderStatus', () => {
  it.each([
    ['basic', seedScreens.basic],
    ['namespace-failed', seedScreens.namespaceFailed],
  ])('prints the %s model as JSON and YAML', (name, input) => {
    const status = buildStatus(input);
    const json = renderStatus(status, 'json');
    const yaml = renderStatus(status, 'yaml');
    expect(json).toBe(golden(`${name}.json`));
    expect(yaml).toBe(golden(`${name}.yaml`));
    expect(ApplicationStatus.parse(JSON.parse(json))).toEqual(status);
    expect(parse(yaml)).toEqual(JSON.parse(json));
  });

  it('prints text as renderStatusText does, and narrows every format with svc', () => {
    const status = buildStatus(seedScreens.twoComponents);
    expect(renderStatus(status, 'text', { svc: 'redis' })).toBe(golden('svc-redis.txt'));
    const json = ApplicationStatus.parse(JSON.parse(renderStatus(status, 'json', { svc: 'redis' })));
    expect(json.services.map((service) => `${service.name}@${service.cluster}`)).toEqual(['redis@beijing-1', 'redis@beijing-2']);
    expect(parse(renderStatus(status, 'yaml', { svc: 'redis' }))).toEqual(json);
  });
});
