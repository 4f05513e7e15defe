// PostgreSQL implementation of MetadataStore (node-postgres), shared by any number of coslocal nodes.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { MetadataStore, MetadataTx } from '../metadata.ts';
import { Db } from './db.ts';
import { newDocuments, PostgresTx, type Documents } from './postgres-tx.ts';
import { migrate } from './schema.ts';

export interface PostgresOptions {
  /** The connections this process keeps open at most (default 10). */
  poolSize?: number;
}

/** bigint columns (sizes, epoch ms, ids) as numbers: they stay far below 2^53. pg would hand out strings. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** SQLSTATEs after which the whole transaction may simply run again: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);
/** Enough for a burst of writers on one key; each retry waits a little longer, with jitter so they spread out. */
const MAX_ATTEMPTS = 30;
const backoff = (attempt: number): number => Math.random() * Math.min(100, 2 ** attempt);

const sqlState = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/**
 * Isolation: every tx() is a SERIALIZABLE transaction on a pooled connection, run again from the start
 * (bounded, with jittered backoff) when PostgreSQL reports a serialization failure or a deadlock, as
 * metadata.ts allows: so the check-then-write transactions above (count then insert a bucket, read then
 * stack a key's newest version) are correct with any number of nodes writing at once, with no row locks
 * to get wrong. Reads outside tx() go straight to the pool, one statement each.
 *
 * Within one process, transactions run one at a time, in the order tx() was called, as on SQLite: two
 * PUTs of one key arriving together stack their versions in the order they came (the contract's tests
 * hold every engine to that), which retries alone would not keep. Nodes are what scale writes out.
 *
 * Durability is PostgreSQL's own: the promise resolves once COMMIT has returned, which with
 * synchronous_commit on (the default) means the commit is flushed.
 */
export class PostgresMetadata extends PostgresTx implements MetadataStore {
  readonly #pool: pg.Pool;
  readonly #docs: Documents;
  /** Settles when the transaction before the newest one is done. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(pool: pg.Pool, documents: Documents) {
    super(new Db(pool), documents);
    this.#pool = pool;
    this.#docs = documents;
  }

  /** Connects, checks the database can keep keys in byte order, and migrates it. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresMetadata> {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: TYPES });
    // A connection the server dropped must not take the process down: an idle one is replaced, and a query
    // on a busy one fails (and the request with it). Without these listeners its 'error' event would throw.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
        // COLLATE "C" orders keys as UTF-8 bytes (COS's order) only in a UTF8 database, and only one holds every key.
        if (rows[0]?.server_encoding !== 'UTF8') throw new Error(`the metadata database's encoding is ${rows[0]?.server_encoding ?? 'unknown'}: coslocal needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')`);
        await migrate(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresMetadata(pool, newDocuments());
  }

  async tx<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    const previous = this.#queue;
    let done = (): void => undefined;
    this.#queue = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      return await this.#run(fn);
    } finally {
      done();
    }
  }

  async #run<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await fn(new PostgresTx(new Db(client), this.#docs));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // After a failed COMMIT the transaction is over already; ROLLBACK then only warns.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))));
        if (!RETRYABLE.has(sqlState(error) ?? '') || attempt >= MAX_ATTEMPTS) throw error;
      } finally {
        // A connection that could not roll back is closed rather than handed to the next transaction mid-way.
        client.release(broken);
      }
      await sleep(backoff(attempt));
    }
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#pool.end();
  }
}
