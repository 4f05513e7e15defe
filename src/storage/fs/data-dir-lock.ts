// The data directory's lock: a server owns its directory, so lapsing at start the blob reservations of
// earlier processes (blob-keeper.ts) never takes another server's uploads in flight (issue 15 #3). The
// admin CLI takes no lock: SQLite serialises its writes with the server's, and it never touches blobs.
//
// Every user of a directory announces itself with a holder file, `locks/<host>-<pid>-<random>.json`
// (written whole, then renamed into place), and only then reads the others'. Of two processes starting
// at once, the second to announce sees the first, so two never both proceed. A holder whose process is
// gone (kill -9, a crash) is stale: whoever finds it removes it.
//
// Modes: an `exclusive` holder (a lone server, or the primary of --workers, whose workers it speaks for)
// conflicts with every other live holder. A `node` holder names its deployment (the metadata store's
// deploymentId: the nodes sharing a store and this directory) and welcomes live nodes of the same
// deployment; it conflicts with exclusive holders and with nodes of another deployment (another store's
// servers would free or overwrite each other's blobs).
//
// Liveness: a holder on this host is judged by its pid (and start time). One on another host (nodes
// sharing the directory over a network file system) cannot be: every holder refreshes its file's mtime
// every HEARTBEAT_MS, and another host's holder whose file is STALE_MS older than this process's freshly
// written one is gone. Comparing two mtimes of one file system, not a remote mtime with this host's clock,
// keeps the hosts' clock skew out of it (NFS sets mtimes on the server).
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** How often a holder refreshes its file. */
export const HEARTBEAT_MS = 10_000;
/** How long after its last refresh another host's holder counts as gone. */
export const STALE_MS = 60_000;

export type LockRequest = { mode: 'exclusive' } | { mode: 'node'; deployment: string };

interface Holder {
  pid: number;
  host: string;
  mode: LockRequest['mode'];
  /** A node's deployment. */
  deployment?: string;
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

/** Whether a live `holder` may share the directory with `me`: nodes of one deployment. */
const welcomes = (me: Holder, holder: Holder): boolean => me.mode === 'node' && holder.mode === 'node' && holder.deployment === me.deployment;

function lockedMessage(dataDir: string, file: string, holder: Holder | 'unreadable', me: Holder): string {
  if (holder === 'unreadable') return `data directory ${dataDir} is locked by ${file}, which is not a coslocal lock holder; remove it if no server uses the directory`;
  const where = holder.host === hostname() ? '' : ` on host ${holder.host} (gone ${STALE_MS / 1000} s after it stops refreshing ${file})`;
  const what =
    holder.mode === 'exclusive' ? 'a server that owns it alone'
    : me.mode === 'exclusive' ? `a node of deployment ${holder.deployment ?? '?'} (start this server with --node to join it)`
    : `a node of another deployment (${holder.deployment ?? '?'}; this store's is ${me.deployment ?? '?'}): one blob directory serves one metadata store`;
  return `data directory ${dataDir} is in use by coslocal pid ${holder.pid}${where}, ${what}, running since ${holder.startedAt}; stop it or pass another --data-dir`;
}

/** Whether `holder` (not on this host) refreshed its file within STALE_MS of `fresh`, this process's file just written. */
async function refreshedSince(path: string, fresh: number): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs > fresh - STALE_MS;
  } catch {
    return false;
  }
}

/** Takes the directory's lock, or throws DataDirLockedError naming the process that holds it. */
export async function lockDataDir(dataDir: string, request: LockRequest = { mode: 'exclusive' }): Promise<DataDirLock> {
  const dir = join(dataDir, 'locks');
  await mkdir(dir, { recursive: true });
  const startTicks = procStat(process.pid)?.startTicks;
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    mode: request.mode,
    ...(request.mode === 'node' && { deployment: request.deployment }),
    startedAt: new Date().toISOString(),
    processOrigin: performance.timeOrigin,
    ...(startTicks !== undefined && { startTicks }),
  };
  const name = `${me.host}-${me.pid}-${randomBytes(4).toString('hex')}.json`;
  const own = join(dir, name);
  await writeFile(`${own}.tmp`, JSON.stringify(me));
  await rename(`${own}.tmp`, own);
  const fresh = (await stat(own)).mtimeMs;
  const heartbeat = setInterval(() => {
    const now = new Date();
    // A failed refresh (the file system away for a moment) is tried again on the next beat.
    utimes(own, now, now).catch(() => undefined);
  }, HEARTBEAT_MS).unref();
  const release = async (): Promise<void> => {
    clearInterval(heartbeat);
    await rm(own, { force: true });
  };
  for (const other of await readdir(dir)) {
    if (other === name || !other.endsWith('.json')) continue;
    const path = join(dir, other);
    const holder = await readHolder(path);
    if (holder === undefined) continue;
    if (holder !== 'unreadable') {
      const alive = holder.host === me.host ? isAlive(holder) : await refreshedSince(path, fresh);
      if (!alive) {
        await rm(path, { force: true });
        continue;
      }
      if (welcomes(me, holder)) continue;
    }
    await release();
    throw new DataDirLockedError(lockedMessage(dataDir, path, holder, me));
  }
  return { release };
}
