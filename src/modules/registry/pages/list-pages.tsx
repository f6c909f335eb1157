import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { VNode } from 'preact';
import type { DbOrTx } from '../../../db/database.ts';
import { type PageContext, pageContext } from '../../../views/portal/context.ts';
import { idOr404, sendNotFound } from '../../../views/portal/errors.tsx';
import { sendPage } from '../../../views/render.ts';
import { findInList, type Page } from '../read/registry.repo.ts';
import type { PageOut } from '../registry.schema.ts';

/** A portal page component: what its route loaded, and the page context. */
type PageOf<P> = (props: P & { ctx: PageContext }) => VNode | Promise<VNode>;

/** GET `path`: the page of what `load` reads. */
export function portalPage<P>(
  app: FastifyInstance,
  path: string,
  load: (db: DbOrTx) => Promise<P>,
  page: PageOf<P>,
): void {
  app.get(path, { schema: { hide: true } }, async (req, reply) => {
    const props = await load(app.database.db);
    return sendPage(reply, await page({ ...props, ctx: pageContext(req, reply) }));
  });
}

/**
 * GET `path` with an `:id`: the page of the record `load` finds, else the not-found page naming
 * `what` (e.g. 这项公共服务); a malformed id is not found either.
 */
export function recordPage<P>(
  app: FastifyInstance,
  path: string,
  what: string,
  load: (db: DbOrTx, id: number) => Promise<P | undefined>,
  page: PageOf<P>,
): void {
  app.get(path, { schema: { hide: true } }, async (req, reply) => {
    const id = idOr404(req, reply, what);
    if (id === null) return reply;
    const props = await load(app.database.db, id);
    if (props === undefined) return sendNotFound(req, reply, what);
    return sendPage(reply, await page({ ...props, ctx: pageContext(req, reply) }));
  });
}

/** The parts of a registry list's two public pages. */
export interface ListParts<T> {
  list: (db: DbOrTx, filter: { id?: number }, page: Page) => Promise<PageOut<T>>;
  /** The page of the whole list. */
  index: PageOf<{ items: T[] }>;
  /** The page of one record (with the database, for what else the page shows). */
  record: PageOf<{ item: T; db: DbOrTx }>;
}

/**
 * The two public pages every registry list has: the whole list at `path`, and one record by id
 * at `path/:id`; `what` names the record on the not-found page.
 */
export function listPages<T>(path: string, what: string, p: ListParts<T>): FastifyPluginAsync {
  return async (app) => {
    portalPage(app, path, async (db) => ({ items: (await p.list(db, {}, 'all')).items }), p.index);
    recordPage(
      app,
      `${path}/:id`,
      what,
      async (db, id) => {
        const item = await findInList(p.list, db, id);
        return item && { item, db };
      },
      p.record,
    );
  };
}
