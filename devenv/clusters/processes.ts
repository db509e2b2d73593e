import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessInfo {
  pid: number;
  cmdline: string;
  rssKiB: number;
}

/** Live processes whose command line contains `needle`, read from /proc (Linux only, like the clusters themselves). */
export async function processesMatching(needle: string): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      if (!cmdline.includes(needle)) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue; // zombies hold no resources and cannot be killed
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
      found.push({ pid, cmdline, rssKiB: rss ? Number(rss[1]) : 0 });
    } catch {
      // the process exited while we looked
    }
  }
  return found;
}

/** SIGTERM, a grace period, then SIGKILL for whatever is left. */
export async function killProcessesMatching(needle: string, graceMs = 5_000): Promise<number> {
  const victims = await processesMatching(needle);
  for (const p of victims) signal(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (await processesMatching(needle)).length > 0) await sleep(100);
  for (const p of await processesMatching(needle)) signal(p.pid, 'SIGKILL');
  return victims.length;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
