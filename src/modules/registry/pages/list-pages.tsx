import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { DbOrTx } from '../../../db/database.ts';
import { type PageContext, pageContext } from '../../../views/portal/context.ts';
import { idOr404, sendNotFound } from '../../../views/portal/errors.tsx';
import { sendPage } from '../../../views/render.ts';
import { findInList, type Page } from '../read/registry.repo.ts';
import type { PageOut } from '../registry.schema.ts';

/** What a registry list needs for its two public pages. */
export interface ListPages<T> {
  /** The list's path, e.g. /services; a record stands at /services/:id. */
  path: string;
  /** The record as a not-found page names it, e.g. 这项公共服务. */
  what: string;
  list: (db: DbOrTx, filter: { id?: number }, page: Page) => Promise<PageOut<T>>;
  /** The page of the whole list. */
  index: (ctx: PageContext, items: T[]) => VNode;
  /** The page of one record. */
  record: (ctx: PageContext, item: T) => VNode | Promise<VNode>;
}

/** The two public pages every registry list has: the whole list, and one record by id. */
export function listPages<T>(app: FastifyInstance, p: ListPages<T>): void {
  app.get(p.path, { schema: { hide: true } }, async (req, reply) => {
    const all = await p.list(app.database.db, {}, 'all');
    return sendPage(reply, p.index(pageContext(req, reply), all.items));
  });

  app.get(`${p.path}/:id`, { schema: { hide: true } }, async (req, reply) => {
    const id = idOr404(req, reply, p.what);
    if (id === null) return reply;
    const item = await findInList(p.list, app.database.db, id);
    if (!item) return sendNotFound(req, reply, p.what);
    return sendPage(reply, await p.record(pageContext(req, reply), item));
  });
}
