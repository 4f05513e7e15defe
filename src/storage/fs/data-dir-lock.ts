// The data directory's lock: a server owns its directory, so lapsing at start the blob reservations of
// earlier processes (blob-keeper.ts) never takes another server's uploads in flight (issue 15 #3). The
// admin CLI takes no lock: SQLite serialises its writes with the server's, and it never touches blobs.
//
// Every user of a directory announces itself with a holder file, `locks/<host>-<pid>-<random>.json`
// (written whole, then renamed into place), and only then reads the others'. Of two processes starting
// at once, the second to announce sees the first, so two never both proceed. A holder whose process is
// gone (kill -9, a crash) is stale: whoever finds it removes it. Today every holder is `exclusive`, so
// any other live holder is a conflict; several cooperating processes of one deployment sharing a store
// later are a new `mode` that admits holders of its own kind (and deployment), with no change to the protocol.
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export type LockMode = 'exclusive';

interface Holder {
  pid: number;
  host: string;
  mode: LockMode;
  startedAt: string;
  /** When the holding process started (its `performance.timeOrigin`): tells this process from an earlier one with its pid. */
  processOrigin: number;
  /** Linux: the process's start time in clock ticks since boot, so a reused pid is not taken for it. */
  startTicks?: string;
}

export class DataDirLockedError extends Error {}

export interface DataDirLock {
  release(): Promise<void>;
}

/** Linux `/proc/<pid>/stat`: the process state and start time; undefined when there is no such process or no /proc. */
function procStat(pid: number): { state: string; startTicks: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startTicks: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

const hasProc = (): boolean => procStat(process.pid) !== undefined;

function isAlive(holder: Holder): boolean {
  // This pid's holders are this process's own (a second lock taken in it) or an earlier life's (a
  // container's server restarted as pid 1 again).
  if (holder.pid === process.pid) return holder.processOrigin === performance.timeOrigin;
  if (hasProc()) {
    const stat = procStat(holder.pid);
    if (!stat || stat.state === 'Z') return false;
    return holder.startTicks === undefined || holder.startTicks === stat.startTicks;
  }
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<Holder | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    if (typeof holder.pid !== 'number' || typeof holder.host !== 'string' || typeof holder.mode !== 'string') return 'unreadable';
    return holder as Holder;
  } catch {
    return 'unreadable';
  }
}

function lockedMessage(dataDir: string, file: string, holder: Holder | 'unreadable'): string {
  if (holder === 'unreadable') return `data directory ${dataDir} is locked by ${file}, which is not a coslocal lock holder; remove it if no server uses the directory`;
  const where = holder.host === hostname() ? '' : ` on host ${holder.host} (if that server is gone, remove ${file})`;
  return `data directory ${dataDir} is in use by coslocal pid ${holder.pid}${where}, running since ${holder.startedAt}; stop it or pass another --data-dir`;
}

/** Takes the directory's lock, or throws DataDirLockedError naming the process that holds it. */
export async function lockDataDir(dataDir: string, mode: LockMode = 'exclusive'): Promise<DataDirLock> {
  const dir = join(dataDir, 'locks');
  await mkdir(dir, { recursive: true });
  const startTicks = procStat(process.pid)?.startTicks;
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    mode,
    startedAt: new Date().toISOString(),
    processOrigin: performance.timeOrigin,
    ...(startTicks !== undefined && { startTicks }),
  };
  const name = `${me.host}-${me.pid}-${randomBytes(4).toString('hex')}.json`;
  const own = join(dir, name);
  await writeFile(`${own}.tmp`, JSON.stringify(me));
  await rename(`${own}.tmp`, own);
  const release = (): Promise<void> => rm(own, { force: true });
  for (const other of await readdir(dir)) {
    if (other === name || !other.endsWith('.json')) continue;
    const path = join(dir, other);
    const holder = await readHolder(path);
    if (holder === undefined) continue;
    if (holder !== 'unreadable' && holder.host === me.host && !isAlive(holder)) {
      await rm(path, { force: true });
      continue;
    }
    await release();
    throw new DataDirLockedError(lockedMessage(dataDir, path, holder));
  }
  return { release };
}
