import type { Migration, MigrationProvider } from 'kysely';
import type { DialectName } from '../database.ts';
import { registryMigration } from './001_registry.ts';
import { searchMigration } from './002_search.ts';
import { staffMigration } from './003_staff.ts';
import { supervisionMigration } from './004_supervision.ts';
import { passwordResetMigration } from './005_password_reset.ts';
import { drawFilePartsMigration } from './006_draw_file_parts.ts';
import { apiTokensMigration } from './007_api_tokens.ts';
import { complaintsMigration } from './008_complaints.ts';
import { drawV2Migration } from './009_draw_v2.ts';
import { inspectionsMigration } from './010_inspections.ts';
import { documentsMigration } from './011_documents.ts';
import { calendarMigration } from './012_calendar.ts';
import { enforcementMigration } from './013_enforcement.ts';
import { sharedStateMigration } from './015_shared_state.ts';
import { legalRegisterMigration } from './016_legal_register.ts';
import { versionsProvenanceChainMigration } from './017_versions_provenance_chain.ts';
import { targetedChecksContactsMigration } from './018_targeted_checks_contacts.ts';
import { campaignsMigration } from './020_campaigns.ts';

/**
 * All migrations, in order. Never edit a landed migration: add a new one.
 * Each takes the dialect so that ids can be identity columns on PostgreSQL and
 * autoincrement on SQLite while every other column is written once.
 */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '001_registry': registryMigration(dialect),
        '002_search': searchMigration(dialect),
        '003_staff': staffMigration(dialect),
        '004_supervision': supervisionMigration(dialect),
        '005_password_reset': passwordResetMigration(dialect),
        '006_draw_file_parts': drawFilePartsMigration(dialect),
        '007_api_tokens': apiTokensMigration(dialect),
        '008_complaints': complaintsMigration(dialect),
        '009_draw_v2': drawV2Migration(dialect),
        '010_inspections': inspectionsMigration(dialect),
        '011_documents': documentsMigration(dialect),
        '012_calendar': calendarMigration(dialect),
        '013_enforcement': enforcementMigration(dialect),
        '015_shared_state': sharedStateMigration(dialect),
        '016_legal_register': legalRegisterMigration(dialect),
        '017_versions_provenance_chain': versionsProvenanceChainMigration(dialect),
        '018_targeted_checks_contacts': targetedChecksContactsMigration(dialect),
        '020_campaigns': campaignsMigration(dialect),
      };
    },
  };
}
