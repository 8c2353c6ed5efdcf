import type { Kysely } from 'kysely';

/**
 * Secrets every node of one installation must share (the SIP nonce key: a phone
 * challenged by one node answers another), made once by whichever node starts first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('node_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('node_secrets').execute();
}
