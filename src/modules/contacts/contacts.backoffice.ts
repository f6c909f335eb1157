import type { DbOrTx } from '../../db/database.ts';
import type { BackofficeContribution } from '../../views/staff/backoffice.ts';
import { contactAbilities } from './contact.policy.ts';

/** The directory's entry in the staff navigation (everyone reads it; admins and editors keep it). */
export const contactsBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [{ href: '/admin/contacts', label: '通讯录', roles: contactAbilities.rules.read.roles, order: 70 }],
};
