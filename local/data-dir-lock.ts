// One `npm start` per data dir: dynalite's LevelDB admits one opener, and a second one fails deep inside it ("Database is
// closed"). The lock is taken before anything opens the data dir.
//
// Hand-written rather than proper-lockfile: that library judges staleness by mtime (a holder must keep touching the lock,
// a kill -9 blocks the next start for its stale period) and records no owner, so it could not say which pid holds the
// dir. Here the lock is a file created atomically (`wx`) holding the owner's pid and start time; it is stale once that
// process is gone, which /proc (or kill(pid, 0)) tells at once.
import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

export class DataDirInUseError extends Error {
  readonly pid: number;
  constructor(dataDir: string, pid: number) {
    super(`data dir ${dataDir} is in use by process ${pid} (lock file ${join(dataDir, 'lock')}); stop it or use another FLOTILLA_DATA_DIR`);
    this.name = 'DataDirInUseError';
    this.pid = pid;
  }
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, 'lock');
  const content = `${process.pid} ${startTime(process.pid) ?? ''}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, content, { flag: 'wx', mode: 0o644 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
    }
    const holder = await readHolder(path);
    if (holder === undefined) {
      // Empty: an owner between creating and writing it, unless it died right there (then the file is old).
      const age = Date.now() - (await stat(path).then((s) => s.mtimeMs, () => 0));
      if (age < 5_000) throw new Error(`data dir ${dataDir} is being locked by another start right now (lock file ${path})`);
    } else if (isHolderAlive(holder)) {
      throw new DataDirInUseError(dataDir, holder.pid);
    }
    // Stale (the owner died, e.g. kill -9): remove it and race for it again with `wx`, so two starts never both win.
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  let held = true;
  // A hard exit (process.exit after a failed stop) skips release(); drop the lock synchronously on the way out.
  const onExit = () => {
    if (held && ownsLock(path, content)) unlinkSync(path);
  };
  process.on('exit', onExit);
  return {
    path,
    release: async () => {
      if (!held) return;
      held = false;
      process.off('exit', onExit);
      if (ownsLock(path, content)) await unlink(path).catch(() => {});
    },
  };
}

interface Holder {
  pid: number;
  startTime?: string;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch {
    return { pid: Number.NaN }; // gone meanwhile: treated as stale, the next `wx` decides
  }
  if (text === '') return undefined;
  const [pid, start] = text.split(/\s+/);
  return { pid: Number(pid), startTime: start || undefined };
}

/**
 * Alive means the pid runs and is the same process that wrote the lock: a container restarted on the same volume gets
 * the same low pids again, so the start time (from /proc) tells a reused pid from the owner.
 */
function isHolderAlive(holder: Holder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTime(holder.pid);
  return holder.startTime === undefined || now === undefined || now === holder.startTime;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot); undefined off Linux or when the pid is gone. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after it follow the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function ownsLock(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}
