import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../http/errors.ts';
import {
  addWorkingDays,
  CalendarCoverageError,
  calendarCoverage,
  InvalidDateError,
  noticeTitle,
} from '../../lib/workdays.ts';
import { acceptApiTokens, BEARER_SECURITY, requireRole } from '../auth/index.ts';
import { CALENDAR_READERS } from './calendar.pages.tsx';

/**
 * The staff JSON API of the working-day calendar (bearer tokens): which years are covered and from
 * which notice, and the deadline calculator every clock uses (n working days after a date). A date
 * the loaded calendar does not cover answers 409 with the notice to load.
 */

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const Coverage = z.object({
  year: z.number().int(),
  source: z.enum(['notice', 'chinese-days']),
  documentNumber: z.string().nullable().describe('国办发明电〔…〕…号 of the loaded notice'),
  title: z.string().nullable(),
  testFixture: z.boolean().describe('true: a test fixture, not the official notice'),
});

export const calendarApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  const tags = ['staff'];
  const security = BEARER_SECURITY;
  const readers = requireRole(...CALENDAR_READERS);

  app.get(
    '/staff/calendar',
    {
      schema: {
        tags,
        security,
        summary: '工作日历已覆盖的年份及其来源（国务院办公厅通知文号或 chinese-days）',
        response: { 200: z.object({ items: z.array(Coverage) }), 401: ErrorBody, 403: ErrorBody },
      },
      preHandler: readers,
    },
    async () => ({
      items: calendarCoverage().map((c) =>
        c.source === 'notice'
          ? {
              year: c.year,
              source: 'notice' as const,
              documentNumber: c.notice.documentNumber,
              title: c.notice.title,
              testFixture: c.notice.testFixture,
            }
          : {
              year: c.year,
              source: 'chinese-days' as const,
              documentNumber: null,
              title: null,
              testFixture: false,
            },
      ),
    }),
  );

  app.get(
    '/staff/calendar/working-days',
    {
      schema: {
        tags,
        security,
        summary:
          '期限计算：某日之后第 n 个工作日（该日本身不计）；未载入所需年份时返回 409 并说明应载入哪份通知',
        querystring: z.object({
          from: z.string().describe('YYYY-MM-DD (China date)'),
          days: z.coerce.number().int().min(0).max(366).describe('Working days'),
        }),
        response: {
          200: z.object({ from: z.string(), days: z.number().int(), due: z.string() }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: ErrorBody,
        },
      },
      preHandler: readers,
    },
    async (req) => {
      const { from, days } = req.query;
      try {
        return { from, days, due: addWorkingDays(from, days) };
      } catch (e) {
        if (e instanceof InvalidDateError) throw new AppError(400, 'invalid-date', e.messageZh);
        if (e instanceof CalendarCoverageError) {
          throw new AppError(409, 'calendar-not-covered', e.messageZh, {
            year: e.year,
            notice: noticeTitle(e.year),
          });
        }
        throw e;
      }
    },
  );
};
