import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptApiTokens } from './api-token.plugin.ts';
import { requireRole } from './auth.plugin.ts';
import { ROLE_NAMES, ROLES } from './user.schema.ts';

/**
 * `GET /api/v1/staff/me`: who an API token acts as (its user's role and offices). The first route of
 * the bearer-token staff API; other modules' staff routes use `acceptApiTokens` the same way.
 */

export const BEARER_SECURITY = [{ bearerAuth: [] }];

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const Me = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleName: z.string().describe('The role in Chinese'),
  officeIds: z.array(z.number().int()).describe('Offices the account is bound to (they narrow an editor)'),
});

export const staffMeApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  app.get(
    '/staff/me',
    {
      schema: {
        tags: ['staff'],
        summary: '当前接口令牌所代表的工作人员（角色和科室）',
        security: BEARER_SECURITY,
        response: { 200: Me, 401: ErrorBody },
      },
      preHandler: requireRole(),
    },
    async (req) => {
      const u = req.user!;
      return {
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        roleName: ROLE_NAMES[u.role],
        officeIds: u.officeIds,
      };
    },
  );
};
