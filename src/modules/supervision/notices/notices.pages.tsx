import type { FastifyPluginAsync } from 'fastify';
import { drawNoticePages } from './draw-notice.pages.tsx';
import { itemNoticePages } from './items.pages.tsx';
import { noticeDownloads } from './notices.downloads.ts';
import { planNoticePages } from './plan-notice.pages.tsx';

/**
 * 一公开: the public notices of supervision, no login, one file a section —
 * - items.pages.tsx: the entry and the 抽查事项清单 (what is checked, on which basis, how often,
 *   at what ratio, how), each figure linked to its line of the document;
 * - plan-notice.pages.tsx: 计划公告 (parameters and commitment before the draw, everything after)
 *   and 任务公告 (drawn entities and inspectors by certificate number only);
 * - draw-notice.pages.tsx: the page to verify a draw;
 * - notices.downloads.ts: the CSV downloads and the self-contained draw file `zhize draw verify`
 *   accepts.
 * What they share: notice.views.tsx (addresses, frame, citations, tables) and notice.load.ts.
 */
export const noticePages: FastifyPluginAsync = async (app) => {
  await app.register(itemNoticePages);
  await app.register(planNoticePages);
  await app.register(drawNoticePages);
  await app.register(noticeDownloads);
};
