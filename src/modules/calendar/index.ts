import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { calendarApi } from './calendar.api.ts';
import { calendarPages } from './calendar.pages.tsx';
import { loadCalendar } from './calendar.service.ts';

/**
 * The calendar module's public surface: the State Council's holiday notices as data, on top of
 * chinese-days (issue 10, item 5). `calendarPlugin` loads the database's notices into
 * src/lib/workdays.ts when the app starts and again at most every minute (a notice imported by the
 * command line reaches a running server without a restart), and serves /admin/calendar.
 */

/** How long a running server trusts its copy of the loaded notices. */
export const CALENDAR_REFRESH_MS = 60_000;

/**
 * Keeps the working-day calendar current for every route of the app (not encapsulated: register
 * it before the modules whose clocks use src/lib/workdays.ts).
 */
export const calendarClock = fp(
  async (app) => {
    let loadedAt = 0;
    const refresh = async () => {
      await loadCalendar(app.database.db);
      loadedAt = Date.now();
    };
    app.addHook('onReady', refresh);
    app.addHook('onRequest', async () => {
      if (Date.now() - loadedAt > CALENDAR_REFRESH_MS) await refresh();
    });
  },
  { name: 'calendar-clock' },
);

/** The staff page /admin/calendar and the staff API under /api/v1/staff/calendar. */
export const calendarPlugin: FastifyPluginAsync = async (app) => {
  await app.register(calendarPages);
  await app.register(calendarApi, { prefix: '/api/v1' });
};

export { calendarBackoffice } from './calendar.pages.tsx';
export type { ImportResult, NoticeInput } from './calendar.service.ts';
export { importNotice, loadCalendar, NoticeInvalid, parseNoticeFile } from './calendar.service.ts';
