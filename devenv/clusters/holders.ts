import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../process.ts';
import { stateDir } from './kwok.ts';

// Test runs side by side (two vitest processes, or checkouts sharing .flotilla) reuse one set of member clusters. The
// run that started them may stop them at its end only when no other live run still holds them: each run holds them
// by a file named after its pid, and a dead run's file does not count.
const holdersDir = join(stateDir, 'kwok', 'holders');

/** Marks this process as using the clusters until release(). */
export function holdClusters(): void {
  mkdirSync(holdersDir, { recursive: true });
  writeFileSync(join(holdersDir, String(process.pid)), '');
}

/** Lets go of this process's hold; answers whether another live process still holds the clusters. */
export function releaseClusters(): boolean {
  rmSync(join(holdersDir, String(process.pid)), { force: true });
  let others = false;
  for (const entry of readdirSync(holdersDir, { withFileTypes: true })) {
    const pid = Number(entry.name);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) others = true;
    else rmSync(join(holdersDir, entry.name), { force: true });
  }
  return others;
}
