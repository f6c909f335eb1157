import type { FastifyPluginAsync } from 'fastify';
import { REGISTRY_CHANGES } from '../registry/index.ts';
import type { ChangeKinds } from './changeset.service.ts';
import { changeFormPages } from './pages/change-form.pages.tsx';
import { changeSetPages } from './pages/changesets.pages.tsx';
import { recordPages } from './pages/records.pages.tsx';
import { sourceDocumentPages } from './pages/sources.pages.tsx';

/**
 * The change-set back office under /admin (清单调整, the change forms, 可调整的记录), over the
 * changeable kinds given (the registry's by default). Server-rendered Chinese pages that work
 * without JavaScript; every route is guarded from the workflow's ability table and every POST
 * carries the staff CSRF token.
 */
export function changesPagesFor(kinds: ChangeKinds): FastifyPluginAsync {
  return async (app) => {
    await app.register(changeSetPages(kinds));
    await app.register(changeFormPages(kinds));
    await app.register(recordPages);
    await app.register(sourceDocumentPages);
  };
}

export const changesPages = changesPagesFor(REGISTRY_CHANGES);
