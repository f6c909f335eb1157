import type { FastifyPluginAsync } from 'fastify';
import { AppError, notFound } from '../../http/errors.ts';
import { fieldOf } from '../../http/forms.ts';
import { shorten } from '../../lib/text.ts';
import { staffGuard } from '../../views/staff/guard.ts';
import { actorOf } from '../auth/index.ts';
import { adapterOf, addChange, canProposeOn, createChangeSet } from '../changes/index.ts';
import { healthReport, linkFindingToChangeSet, REGISTRY_CHANGES } from '../registry/index.ts';

/**
 * "Propose a fix" on the list-health report: opens a draft change set (the changes module's
 * workflow, through its index) holding an update of each affected record the person may change,
 * with the finding as its 调整依据; the finding remembers the set. One transaction: the set, its
 * items and the link are written (and audited) together or not at all. The draft's items start as
 * the records stand; the author then edits what the fix needs, and the set goes through review.
 */

export interface HealthFixOptions {
  /** LIST_ADJUST_MONTHS (the finding's deadline is written into the 调整依据). */
  months: number;
}

export const healthFixPages: FastifyPluginAsync<HealthFixOptions> = async (app, { months }) => {
  app.post(
    '/admin/health/propose',
    { schema: { hide: true }, preHandler: [staffGuard(['admin', 'editor']), app.staffCsrf.preHandler] },
    async (req, reply) => {
      const user = req.user!;
      const key = fieldOf(req, 'key');
      const setId = await app.database.db.transaction().execute(async (tx) => {
        const report = await healthReport(tx, { months, record: { actor: actorOf(user) } });
        const f = report.findings.find((x) => x.key === key);
        if (!f) throw notFound('这项清单问题（可能已经解决）');
        if (f.changeSetId !== null)
          throw new AppError(
            409,
            'already_proposed',
            `这项问题已提出调整单 ${f.changeSetId}，请在该调整单中修改`,
          );
        const mine = [];
        for (const r of f.records) {
          if (!r.entity) continue;
          const adapter = adapterOf(REGISTRY_CHANGES, r.entity);
          const current = await adapter.current(tx, r.id);
          if (current && canProposeOn(user, adapter, current, current)) mine.push({ r, current });
        }
        if (mine.length === 0)
          throw new AppError(
            403,
            'nothing_to_propose',
            '这项问题涉及的记录不在您可调整的范围内（或不能通过调整单修改）：请联系系统管理员或相关科室',
          );
        const id = await createChangeSet(tx, user, {
          title: shorten(`清单健康：${f.title}`, 200),
          reason: shorten(
            `${f.title}。${f.detail}。调整期限 ${f.deadline}${f.overdue ? '（已逾期）' : ''}。（清单健康报告 ${f.key}）`,
            2000,
          ),
        });
        for (const { r, current } of mine)
          await addChange(tx, user, id, {
            entity: r.entity!,
            op: 'update',
            targetId: r.id,
            payload: current.payload,
          });
        await linkFindingToChangeSet(tx, f.key, id, actorOf(user));
        return id;
      });
      return reply.redirect(`/admin/changes/${setId}`, 303);
    },
  );
};
