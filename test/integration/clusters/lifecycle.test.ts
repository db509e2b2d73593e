import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { clustersDown, clustersList, clustersUp, stateDir } from '../../../devenv/clusters/kwok.ts';
import { processesMatching } from '../../../devenv/process.ts';

const run = promisify(execFile);
// A cluster of its own, so the shared seed clusters are never disturbed.
const name = 'lifecycle-probe';
const clusterProcesses = () => processesMatching(`${join(stateDir, 'kwok', 'clusters', name)}/`);

describe('npm run clusters up/down', () => {
  afterAll(() => clustersDown([name]));

  it('starts a cluster on loopback, is a no-op when it already runs, and leaves no process behind on down', async () => {
    const [first] = await clustersUp([name]);
    expect(first?.started).toBe(true);
    const running = await clusterProcesses();
    expect(running.map((p) => p.cmdline).join('\n')).toMatch(/kube-apiserver/);
    expect(running.map((p) => p.cmdline).join('\n')).toMatch(/\/etcd /);

    const listing = (await clustersList()).find((c) => c.name === name);
    expect(listing?.running).toBe(true);
    expect(listing?.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const [again] = await clustersUp([name]);
    expect(again?.started).toBe(false);
    expect((await clusterProcesses()).map((p) => p.pid).sort()).toEqual(running.map((p) => p.pid).sort());

    await clustersDown([name]);
    expect(await clusterProcesses()).toEqual([]);
    expect(existsSync(first!.kubeconfig)).toBe(false);
  });

  it('cleans up the leftovers of a crashed cluster and starts a fresh one', async () => {
    await clustersUp([name]);
    const apiserver = (await clusterProcesses()).find((p) => p.cmdline.includes('kube-apiserver'));
    expect(apiserver).toBeDefined();
    process.kill(apiserver!.pid, 'SIGKILL'); // a crash: etcd, controller-manager, scheduler and kwok stay behind
    const leftovers = (await clusterProcesses()).map((p) => p.pid);
    expect(leftovers.length).toBeGreaterThan(0);

    const [restarted] = await clustersUp([name]);
    expect(restarted?.started).toBe(true);
    const now = await clusterProcesses();
    expect(now.some((p) => leftovers.includes(p.pid))).toBe(false);
    expect(now.filter((p) => /\/etcd /.test(p.cmdline))).toHaveLength(1);
  });

  it('runs as an npm script: list shows the cluster, down stops it', async () => {
    await clustersUp([name]);
    const npm = (args: string[]) => run('npm', ['run', '--silent', 'clusters', '--', ...args], { timeout: 300_000 });
    expect((await npm(['list'])).stdout).toMatch(new RegExp(`${name}\\s+running\\s+https://127\\.0\\.0\\.1:`));
    expect((await npm(['down', name])).stdout).toContain(`stopped ${name}`);
    expect(await clusterProcesses()).toEqual([]);
  });
});
