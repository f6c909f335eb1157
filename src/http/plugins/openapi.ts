import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The OpenAPI document of the JSON API (`/api/openapi.json`, from the routes' zod schemas) and
 * its browsable documentation (`/api/docs`). Registered before the API routes, which it collects
 * as they are added; every /api/v1 route carries one of these tags.
 */

export const OPENAPI_TAGS = [
  { name: 'registry', description: '清单数据（只读）' },
  { name: 'search', description: '全文检索，以及“谁来管”：根据问题给出负责的部门、科室、电话和依据' },
  { name: 'versions', description: '已发布的清单版本（调整记录）和两个版本之间的差异' },
  { name: 'supervision', description: '双随机、一公开：监管规则、检查对象类别、抽查计划、任务和抽取文件' },
  { name: 'exports', description: '数据下载' },
  { name: 'system', description: '运行状态' },
  { name: 'staff', description: '工作人员接口（Authorization: Bearer 接口令牌，zhize token create 创建）' },
  {
    name: 'open311',
    description: 'Open311 GeoReport v2 举报投诉接口（提交用 api_key = 接口令牌；公开查询不含个人信息）',
  },
  { name: 'contacts', description: '联系方式：本局地址和办公时间、各科室和其他部门的电话、热线' },
] as const;

const openapi: FastifyPluginAsync = async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Zhize 职责 API',
        description: '衡水市商务局职责清单：部门职责、职责边界、事中事后监管制度、公共服务事项。',
        version: '1.0.0',
      },
      tags: [...OPENAPI_TAGS],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'zhize token create 创建的接口令牌' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};

export const openapiPlugin = fp(openapi, { name: 'openapi', fastify: '5.x' });
