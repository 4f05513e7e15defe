// Runs the engine's named statements on a pool (reads outside tx()) or on one transaction's client.
import type pg from 'pg';

/** A named statement: pg prepares it once per connection, then sends only its name and values. */
export interface Statement {
  name: string;
  text: string;
}

const NUL = '\u0000';
const FINDS_ONLY = /^\s*(SELECT|DELETE)\b/i;

/**
 * PostgreSQL's text cannot hold U+0000, and a value that has one fails the whole statement. Object keys never
 * have one (domain/object.ts refuses them), so nothing stored has one either: a statement that only finds
 * rows (a SELECT, a DELETE) by such a value finds none, without asking the server; one that would store it
 * is refused. Listings cut their markers at the first NUL themselves (postgres-tx.ts), where "none" would be wrong.
 */
const carriesNul = (values: readonly unknown[]): boolean => values.some((value) => typeof value === 'string' && value.includes(NUL));

export class Db {
  readonly #on: pg.Pool | pg.PoolClient;
  /** Settles once every statement asked before the newest one has been answered. */
  #answered: Promise<unknown> = Promise.resolve();

  constructor(on: pg.Pool | pg.PoolClient) {
    this.#on = on;
  }

  async rows<R extends pg.QueryResultRow>(statement: Statement, values: readonly unknown[]): Promise<R[]> {
    return (await this.#query<R>(statement, values, undefined))?.rows ?? [];
  }

  /** Rows as arrays of their columns, for listings: no object per row. */
  async arrays<R extends unknown[]>(statement: Statement, values: readonly unknown[]): Promise<R[]> {
    return ((await this.#query(statement, values, 'array'))?.rows ?? []) as unknown as R[];
  }

  /** How many rows the statement changed. */
  async changes(statement: Statement, values: readonly unknown[]): Promise<number> {
    return (await this.#query(statement, values, undefined))?.rowCount ?? 0;
  }

  async #query<R extends pg.QueryResultRow>(statement: Statement, values: readonly unknown[], rowMode: 'array' | undefined): Promise<pg.QueryResult<R> | undefined> {
    if (carriesNul(values)) {
      if (FINDS_ONLY.test(statement.text)) return undefined;
      throw new Error(`${statement.name}: PostgreSQL text cannot hold U+0000 (NUL)`);
    }
    const query = this.#on.query<R>({ name: statement.name, text: statement.text, values: [...values], ...(rowMode && { rowMode }) });
    return this.#inOrder(query);
  }

  /**
   * The answer once every statement asked before has been answered: a pool runs them on several
   * connections at once, but requests that came one after the other (two PUT Bucket inventory of one
   * bucket) then reach tx() in the order they came, as on SQLite, where every read is answered at once.
   * A transaction's client answers in order anyway.
   */
  #inOrder<T>(query: Promise<T>): Promise<T> {
    const answer = this.#answered.then(() => query);
    this.#answered = answer.catch(() => undefined);
    return answer;
  }
}
