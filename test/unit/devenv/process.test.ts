// The process helpers behind the detached emulators (moto) and clusters, on real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, test } from 'vitest';
import { isAlive, pollUntil, terminateGroup } from '../../../devenv/process.ts';

/** Starts `sh -c script` in its own process group; the script's first output line is returned as a pid. */
async function shell(script: string): Promise<{ child: ChildProcess; printedPid: number }> {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, printedPid: Number.parseInt(chunk.toString(), 10) };
}

async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

describe('isAlive', () => {
  test('is true for a running process and false once it has exited', async () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(await deadPid())).toBe(false);
  });

  test('is false for a zombie, although kill(pid, 0) still succeeds on it', async () => {
    // The background sleep exits after its parent has exec'd into a sleep that never reaps it.
    const { child, printedPid: zombie } = await shell('sleep 0.3 & echo $!; exec sleep 30');
    try {
      expect(await pollUntil(() => !isAlive(zombie), 5_000)).toBe(true);
      expect(() => process.kill(zombie, 0)).not.toThrow();
    } finally {
      await terminateGroup(child.pid!);
    }
  });
});

describe('terminateGroup', () => {
  test('stops the leader and its children', async () => {
    const { child, printedPid: grandchild } = await shell('sleep 60 & echo $!; wait');
    await terminateGroup(child.pid!);
    expect(isAlive(child.pid!)).toBe(false);
    expect(await pollUntil(() => !isAlive(grandchild), 2_000)).toBe(true);
  });

  test('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const { child } = await shell('trap "" TERM; echo ready; while :; do sleep 0.1; done');
    const started = Date.now();
    await terminateGroup(child.pid!, 300);
    expect(isAlive(child.pid!)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
