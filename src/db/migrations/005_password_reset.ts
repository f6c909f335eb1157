import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Password resets by an admin (issue 8): a reset password is temporary, so the account must
 * choose a new one at its next login. `must_change_password` is 1 from the reset until the user
 * changes the password themselves; every staff page sends them to the change-password page
 * meanwhile.
 */
export function passwordResetMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('users')
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('users').dropColumn('must_change_password').execute();
    },
  };
}
