// Machine-wide port allocation for member clusters: allocations from separate processes (as from two checkouts) never
// hand out the same port, and a lease ends with its owner. Real processes on a registry of the test's own.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { allocatePorts, portRange } from '../../../devenv/clusters/ports.ts';

const run = promisify(execFile);
const portsModule = fileURLToPath(new URL('../../../devenv/clusters/ports.ts', import.meta.url));
let dir = '';

/** A separate Node process that allocates 6 ports for each of `owners`, starting at `at` (ms since epoch). */
async function allocateInChild(owners: string[], at: number): Promise<number[]> {
  const script = `
    const { allocatePorts } = await import(${JSON.stringify(portsModule)});
    await new Promise((resolve) => setTimeout(resolve, ${at} - Date.now()));
    const ports = [];
    for (const owner of ${JSON.stringify(owners)}) ports.push(...(await allocatePorts(owner, 6, { dir: ${JSON.stringify(join(dir, 'registry'))} })));
    console.log(JSON.stringify(ports));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
  return JSON.parse(stdout) as number[];
}

describe('cluster port registry', () => {
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives two concurrent processes distinct ports', async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-ports-'));
    // Owners are cluster folders; they exist, so each lease outlives the process that took it.
    const owners = (side: string) => Array.from({ length: 8 }, (_, i) => join(dir, `${side}-${i}`));
    for (const owner of [...owners('a'), ...owners('b')]) await mkdir(owner);
    const at = Date.now() + 1_500;
    const [a, b] = await Promise.all([allocateInChild(owners('a'), at), allocateInChild(owners('b'), at)]);
    expect(a).toHaveLength(48);
    expect(b).toHaveLength(48);
    expect(new Set([...a, ...b]).size).toBe(96);
    for (const port of [...a, ...b]) {
      expect(port).toBeGreaterThanOrEqual(portRange.first);
      expect(port).toBeLessThanOrEqual(portRange.last);
    }
  });

  it('skips a port someone else listens on, and reuses the ports of an owner that is gone', async () => {
    const registry = { dir: join(dir, 'own') };
    const owner = join(dir, 'cluster-x');
    await mkdir(owner);
    const [first] = await allocatePorts(owner, 1, registry);

    const other = join(dir, 'cluster-y');
    await mkdir(other);
    const foreign: Server = createServer();
    const next = first! + 1;
    await new Promise<void>((resolve) => foreign.listen(next, '127.0.0.1', resolve));
    try {
      const [second] = await allocatePorts(other, 1, registry);
      expect(second).not.toBe(first);
      expect(second).not.toBe(next);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }

    // The owner folder is gone and its allocating process (this one) runs on: the lease still holds ...
    await rm(owner, { recursive: true });
    expect(await allocatePorts(join(dir, 'cluster-z'), 1, registry)).not.toContain(first);
    // ... until a new allocation for the same owner replaces it.
    expect(await allocatePorts(owner, 1, registry)).toEqual([first]);
  });
});
