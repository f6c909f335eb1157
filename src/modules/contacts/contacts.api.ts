import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DirectoryOut } from './contact.schema.ts';
import { loadDirectory } from './contact.service.ts';

/** GET /api/v1/contacts: the contact directory as JSON (public, no personal data). */
export const contactsApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary:
          '联系方式：本局地址和办公时间、各科室电话（出自公共服务事项登记表或工作人员登记）、其他部门电话和地址、热线',
        response: { 200: DirectoryOut },
      },
    },
    async () => loadDirectory(app.database.db),
  );
};
