import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { todayInChina } from '../../lib/china-time.ts';
import { REGISTRY_CHANGES } from '../registry/index.ts';
import { applyDueChangeSets, type ChangeKinds } from './changeset.service.ts';

/**
 * Effective dates that hold: before any request is answered, the change sets whose effective date
 * (China time, by the app's clock) has come are applied — at the first request of each China day,
 * so the portal, the API, the search index and the back office all read the version in effect.
 * Nothing is seen without a request, so no timer is needed; one short query a day per process.
 * Concurrent requests wait for the one check; two processes race on a conditional update, and
 * only one applies a set.
 */
const schedule: FastifyPluginAsync<{ kinds?: ChangeKinds }> = async (app, opts) => {
  const kinds = opts.kinds ?? REGISTRY_CHANGES;
  let checkedOn: string | null = null;
  let retryAt = 0;
  let running: Promise<void> | null = null;
  const check = async (today: string) => {
    try {
      const done = await applyDueChangeSets(app.database, today, kinds);
      for (const d of done.filter((x) => x.result === 'returned'))
        app.log.warn({ changeSet: d.setId }, d.message ?? 'scheduled change set returned');
      checkedOn = today;
    } catch (err) {
      // Try again in a minute rather than on every request; the lists stay as they were.
      retryAt = Date.now() + 60_000;
      app.log.error({ err }, 'applying scheduled change sets failed');
    }
  };
  app.addHook('onRequest', async () => {
    const today = todayInChina(app.now().getTime());
    if (checkedOn === today || Date.now() < retryAt) return;
    running ??= check(today).finally(() => {
      running = null;
    });
    await running;
  });
};

export const scheduledChanges = fp(schedule, { name: 'changes-schedule' });
