// A cluster with a dead component is broken, `list` says which component, and `up` sweeps and restarts it. A cluster of
// its own name: the seed clusters are shared with other suites.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { clustersDown, clustersList, clustersUp, stateDir } from '../../../devenv/clusters/kwok.ts';
import { portRange } from '../../../devenv/clusters/ports.ts';
import { isAlive, pollUntil, processesMatching } from '../../../devenv/process.ts';

const run = promisify(execFile);
const name = 'repair-probe';
const clusterDir = join(stateDir, 'kwok', 'clusters', name);
const pidOf = async (component: string) => Number((await readFile(join(clusterDir, 'pids', `${component}.pid`), 'utf8')).trim());
const listing = async () => (await clustersList()).find((c) => c.name === name);

describe('a broken member cluster', () => {
  afterAll(() => clustersDown([name]));

  it('is listed as broken with its dead components, and up repairs it', async () => {
    const [up] = await clustersUp([name]);
    expect(up?.started).toBe(true);
    const healthy = await listing();
    expect(healthy?.status).toBe('running');
    // Its ports come from the machine-wide registry, not from kwokctl's own probing.
    const apiserverPort = Number(new URL(healthy!.endpoint).port);
    expect(apiserverPort).toBeGreaterThanOrEqual(portRange.first);
    expect(apiserverPort).toBeLessThanOrEqual(portRange.last);

    const victims = [await pidOf('kube-controller-manager'), await pidOf('kube-scheduler')];
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    expect(await pollUntil(() => victims.every((pid) => !isAlive(pid)), 10_000)).toBe(true);

    const broken = await listing();
    expect(broken?.status).toBe('broken');
    expect(broken?.running).toBe(false);
    expect(broken?.dead).toEqual(['kube-controller-manager', 'kube-scheduler']);
    const { stdout } = await run('npm', ['run', '--silent', 'clusters', '--', 'list'], { timeout: 120_000 });
    expect(stdout).toMatch(new RegExp(`${name}\\s+broken \\(dead: kube-controller-manager, kube-scheduler\\)`));

    const leftovers = (await processesMatching(`${clusterDir}/`)).map((p) => p.pid);
    const [repaired] = await clustersUp([name]);
    expect(repaired?.started).toBe(true);
    const now = await listing();
    expect(now?.status).toBe('running');
    expect(now?.dead).toEqual([]);
    const processes = await processesMatching(`${clusterDir}/`);
    expect(processes.some((p) => leftovers.includes(p.pid))).toBe(false);
    expect(processes.filter((p) => p.cmdline.includes('kube-controller-manager'))).toHaveLength(1);
  });
});
