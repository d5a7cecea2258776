import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { CompiledQuery } from 'kysely';
import {
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect for PGlite, the embedded single-connection PostgreSQL. PGlite already serialises
 * statements and gives a transaction exclusive use of its one session, so every Kysely connection is
 * a thin view: outside a transaction it runs statements on the instance, inside one on the
 * `Transaction` that PGlite's own `transaction()` hands out. That way the job queue, which shares
 * the instance, can never slip a statement into the middle of one of ours.
 */
export class PgliteDialect implements Dialect {
  private readonly pglite: PGlite;

  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PgliteDriver implements Driver {
  private readonly pglite: PGlite;

  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }
  async init(): Promise<void> {
    await this.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new PgliteConnection(this.pglite);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).end('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).end('rollback');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

interface OpenTransaction {
  readonly transaction: Transaction;
  /** Settles PGlite's transaction callback: resolve commits, reject rolls back. */
  readonly finish: (outcome: 'commit' | 'rollback') => void;
  readonly done: Promise<void>;
}

const rollbackRequested = new Error('rollback requested');

class PgliteConnection implements DatabaseConnection {
  #open: OpenTransaction | undefined;

  private readonly pglite: PGlite;

  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }

  async begin(): Promise<void> {
    let ready!: (open: OpenTransaction) => void;
    const opened = new Promise<OpenTransaction>((resolve) => (ready = resolve));
    const done = this.pglite
      .transaction(async (transaction) => {
        const outcome = await new Promise<'commit' | 'rollback'>((finish) =>
          ready({ transaction, finish, done }),
        );
        if (outcome === 'rollback') throw rollbackRequested;
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error !== rollbackRequested) throw error;
        },
      );
    // A failure to begin (the callback never ran) must reach the caller, not hang it.
    this.#open = await Promise.race([
      opened,
      done.then(() => Promise.reject(new Error('transaction ended before it began'))),
    ]);
  }

  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    const open = this.#open;
    this.#open = undefined;
    if (!open) return;
    open.finish(outcome);
    await open.done;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const runner = this.#open?.transaction ?? this.pglite;
    const result = await runner.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    return {
      rows: result.rows,
      ...(result.affectedRows === undefined ? {} : { numAffectedRows: BigInt(result.affectedRows) }),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on PGlite');
  }
}
