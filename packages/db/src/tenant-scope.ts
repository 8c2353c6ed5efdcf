import {
  sql,
  type DeleteQueryBuilder,
  type DeleteResult,
  type InsertQueryBuilder,
  type InsertResult,
  type Insertable,
  type Kysely,
  type SelectQueryBuilder,
  type Transaction,
  type UpdateQueryBuilder,
  type UpdateResult,
  type Updateable,
} from 'kysely';
import type { Database, TenantOwnedTable } from './schema.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

type Row<T extends TenantOwnedTable> = Omit<Insertable<Database[T]>, 'tenantId'>;
type Patch<T extends TenantOwnedTable> = Omit<Updateable<Database[T]>, 'tenantId'>;

/**
 * The one mechanism that keeps tenants apart. Repositories of tenant-owned data get a
 * scope, never the raw database: every select, update and delete it builds is already
 * filtered by `tenant_id`, and every insert gets the scope's tenant id. A call site
 * cannot forget the filter because it never writes it.
 *
 * The casts below exist because Kysely cannot narrow its builders for a generic table
 * name; for any concrete `T` the declared return types are exactly what
 * `db.selectFrom(T)` etc. would give.
 */
export class TenantScope {
  constructor(
    readonly executor: Executor,
    readonly tenantId: string,
  ) {}

  selectFrom<T extends TenantOwnedTable>(table: T): SelectQueryBuilder<Database, T, object> {
    const builder = this.executor.selectFrom(table) as unknown as SelectQueryBuilder<
      Database,
      T,
      object
    >;
    return builder.where(this.ownedBy(table));
  }

  updateTable<T extends TenantOwnedTable>(
    table: T,
    values: Patch<T>,
  ): UpdateQueryBuilder<Database, T, T, UpdateResult> {
    const builder = this.executor.updateTable(table) as unknown as UpdateQueryBuilder<
      Database,
      T,
      T,
      UpdateResult
    >;
    const { tenantId: _dropped, ...rest } = values as Patch<T> & { tenantId?: unknown };
    return builder.set(rest as Updateable<Database[T]> as never).where(this.ownedBy(table));
  }

  deleteFrom<T extends TenantOwnedTable>(table: T): DeleteQueryBuilder<Database, T, DeleteResult> {
    const builder = this.executor.deleteFrom(table) as unknown as DeleteQueryBuilder<
      Database,
      T,
      DeleteResult
    >;
    return builder.where(this.ownedBy(table));
  }

  insertInto<T extends TenantOwnedTable>(
    table: T,
    values: Row<T>,
  ): InsertQueryBuilder<Database, T, InsertResult> {
    const builder: InsertQueryBuilder<Database, T, InsertResult> = this.executor.insertInto(table);
    return builder.values({ ...values, tenantId: this.tenantId } as never);
  }

  /** The same scope inside a transaction. */
  within(trx: Transaction<Database>): TenantScope {
    return new TenantScope(trx, this.tenantId);
  }

  private ownedBy(table: TenantOwnedTable) {
    return sql<boolean>`${sql.ref(`${table}.tenantId`)} = ${this.tenantId}`;
  }
}
