// Job leases: which process runs a job. A lease is read and written inside one store transaction, so of
// all the processes (or nodes) sharing a store exactly one holds a job's lease at a time; a holder that
// died stops renewing it, and once it lapses another takes the job over where its cursor stands.
import type { JobState, MetadataStore } from '../storage/metadata.ts';

export interface LeaseHolder {
  /** This process's id (a random UUID per start). */
  holder: string;
  /** Real time (epoch ms): a test clock moved days ahead must not lapse the lease of a run in progress. */
  realNow: number;
  /** How long the lease stands without being renewed. */
  ttlMs: number;
}

/** Whether `state` may be changed by `me`: nobody holds it, `me` does, or the holder's lease has lapsed. */
export const mayTake = (state: JobState | undefined, me: LeaseHolder): boolean =>
  !state?.lease || state.lease.holder === me.holder || state.lease.until <= me.realNow;

/**
 * Takes or renews the lease on job `name` and changes its state by `change` (given the state stored, or
 * a new one due at `firstRunAt`) in one transaction. `release` gives the lease up with that change.
 * Undefined, with nothing changed, while another process's lease stands, or when `change` declines (undefined).
 */
export async function changeLeased(
  meta: MetadataStore,
  name: string,
  me: LeaseHolder & { release?: boolean; firstRunAt: number },
  change: (state: JobState) => JobState | undefined,
): Promise<JobState | undefined> {
  return meta.tx(async (tx) => {
    const stored = await tx.getJob(name);
    if (!mayTake(stored, me)) return undefined;
    const proposed = change(stored ?? { name, nextRunAt: me.firstRunAt });
    if (!proposed) return undefined;
    const { lease: _lease, ...changed } = proposed;
    const next: JobState = me.release ? changed : { ...changed, lease: { holder: me.holder, until: me.realNow + me.ttlMs } };
    await tx.putJob(next);
    return next;
  });
}

/**
 * Lapses every lease but `holder`'s. Only for a process that owns the store alone (the data-dir lock):
 * the holders of those leases died with their processes, and their runs are resumed at once instead of
 * after their leases run out.
 */
export async function lapseLeases(meta: MetadataStore, holder: string): Promise<number> {
  return meta.tx(async (tx) => {
    let lapsed = 0;
    for (const { lease, ...state } of await tx.listJobs()) {
      if (!lease || lease.holder === holder) continue;
      await tx.putJob(state);
      lapsed++;
    }
    return lapsed;
  });
}
