import type { FastifyPluginAsync } from 'fastify';
import { contactsApi } from './contacts.api.ts';
import { contactPages } from './contacts.pages.tsx';

/**
 * The contact directory (通讯录) module's public surface: the portal page /contacts, its JSON at
 * /api/v1/contacts, the staff pages under /admin/contacts, and `contactFor` for other modules (a
 * ticket shows how to reach whoever handles it). Depends on auth and audit only; it reads the
 * registry's tables (offices, departments, part 4's services) directly, as read models.
 */
export const contactsPlugin: FastifyPluginAsync = async (app) => {
  await app.register(contactsApi, { prefix: '/api/v1' });
  await app.register(contactPages);
};

export type { Directory, PhoneOut } from './contact.schema.ts';
export { type ContactCard, contactFor, loadDirectory, saveContactEntry } from './contact.service.ts';
export { contactsBackoffice } from './contacts.backoffice.ts';
export { ContactCardView } from './contacts.views.tsx';
