import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../http/errors.ts';
import { acceptApiTokens, BEARER_SECURITY } from '../auth/index.ts';
import { documentAbilities } from './document.policy.ts';
import { attachmentHeader, DOCX_TYPE, presentDocument } from './document.presenter.ts';
import { DocumentJson, DocumentTypeJson, Fields, IssueBody, SupersedeBody } from './document.schema.ts';
import {
  documentBytes,
  editDocument,
  getDocument,
  issueDocument,
  listDocuments,
  supersedeDocument,
} from './document.service.ts';
import { citationText, DOCUMENT_TYPES, documentType } from './document.types.ts';

/**
 * The staff JSON API of documents under /api/v1/staff (bearer tokens, `zhize token create`): the
 * types and their fields, the list (by subject, type, year), one document, its DOCX (the issued
 * bytes, with their SHA-256 in a header), a correction that supersedes it, a standalone issue (the
 * types no workflow issues: 执法监督通知（决定）书), and the edit every issued document refuses.
 */

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
const IdParam = z.object({ id: z.coerce.number().int().positive().describe('Document id') });

export const documentsApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  const tags = ['staff'];
  const security = BEARER_SECURITY;
  const db = () => app.database.db;

  app.get(
    '/staff/document-types',
    {
      schema: {
        tags,
        security,
        summary: '文书类型：名称、文号前缀和必须载明的栏目（含依据）',
        response: { 200: z.object({ items: z.array(DocumentTypeJson) }), 401: ErrorBody, 403: ErrorBody },
      },
      preHandler: documentAbilities.guard('read'),
    },
    async () => ({
      items: DOCUMENT_TYPES.map((t) => ({
        code: t.code,
        name: t.name,
        prefix: t.prefix,
        standalone: t.standalone,
        fields: t.fields.map((f) => ({
          key: f.key,
          label: f.label,
          kind: f.kind,
          required: f.required,
          citation: f.citation ? citationText(f.citation) : null,
        })),
      })),
    }),
  );

  app.get(
    '/staff/documents',
    {
      schema: {
        tags,
        security,
        summary: '已签发的文书（最新的在前），可按对象、类型、年份筛选',
        querystring: z.object({
          subjectKind: z.string().max(40).optional(),
          subjectId: z.string().max(200).optional(),
          type: z.string().max(40).optional(),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
        }),
        response: {
          200: z.object({ items: z.array(DocumentJson) }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
      preHandler: documentAbilities.guard('read'),
    },
    async (req) => {
      const q = req.query;
      const rows = await listDocuments(db(), {
        subject:
          q.subjectKind !== undefined && q.subjectId !== undefined
            ? { kind: q.subjectKind, id: q.subjectId }
            : undefined,
        type: q.type,
        year: q.year,
      });
      return { items: rows.map(presentDocument) };
    },
  );

  app.post(
    '/staff/documents',
    {
      schema: {
        tags,
        security,
        summary: '签发一份独立文书（执法监督通知（决定）书）；由业务流程签发的文书类型在此拒绝',
        body: IssueBody,
        response: { 201: DocumentJson, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
      preHandler: documentAbilities.guard('issue'),
    },
    async (req, reply) => {
      const type = documentType(req.body.type)!;
      if (!type.standalone) {
        throw new AppError(
          409,
          'document-not-standalone',
          `《${type.name}》由相应的业务流程签发（如整改、处罚、投诉答复），不能在此直接签发`,
        );
      }
      const issued = await db()
        .transaction()
        .execute((tx) =>
          issueDocument(tx, {
            type: type.code,
            subject: req.body.subject,
            fields: req.body.fields,
            issuedBy: req.user!,
          }),
        );
      return reply.status(201).send(presentDocument((await getDocument(db(), issued.id))!));
    },
  );

  app.get(
    '/staff/documents/:id',
    {
      schema: {
        tags,
        security,
        summary: '一份文书：文号、栏目、状态（已被更正替代的仍保留）、SHA-256',
        params: IdParam,
        response: { 200: DocumentJson, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
      preHandler: documentAbilities.guard('read'),
    },
    async (req) => {
      const d = await getDocument(db(), req.params.id);
      if (!d) throw notFound(`编号为 ${req.params.id} 的文书`);
      return presentDocument(d);
    },
  );

  app.get(
    '/staff/documents/:id/download',
    {
      schema: {
        tags,
        security,
        summary: '下载文书（DOCX）：每次都是签发时保存的同一份字节，X-Document-SHA256 为其哈希',
        params: IdParam,
        produces: [DOCX_TYPE],
      },
      preHandler: documentAbilities.guard('read'),
    },
    async (req, reply) => {
      const file = await documentBytes(db(), req.params.id);
      if (!file) throw notFound(`编号为 ${req.params.id} 的文书`);
      return reply
        .type(DOCX_TYPE)
        .header('content-disposition', attachmentHeader(req.params.id, file.filename))
        .header('x-document-sha256', file.sha256)
        .header('cache-control', 'private, no-store')
        .send(file.data);
    },
  );

  app.post(
    '/staff/documents/:id/supersede',
    {
      schema: {
        tags,
        security,
        summary: '更正文书：签发一份新文书（新文号）替代原文书，两份都保留并互相链接',
        params: IdParam,
        body: SupersedeBody,
        response: {
          201: DocumentJson,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
        },
      },
      preHandler: documentAbilities.guard('supersede'),
    },
    async (req, reply) => {
      const issued = await db()
        .transaction()
        .execute((tx) =>
          supersedeDocument(tx, {
            id: req.params.id,
            fields: req.body.fields,
            reason: req.body.reason,
            issuedBy: req.user!,
          }),
        );
      return reply.status(201).send(presentDocument((await getDocument(db(), issued.id))!));
    },
  );

  app.patch(
    '/staff/documents/:id',
    {
      schema: {
        tags,
        security,
        summary:
          '修改已签发的文书：一律拒绝（409 document-frozen），每次尝试记入审计日志；更正请用 supersede',
        params: IdParam,
        body: z.object({ fields: Fields.optional() }).passthrough(),
        response: { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
      preHandler: documentAbilities.guard('edit'),
    },
    async (req) =>
      editDocument(app.database.db, {
        id: req.params.id,
        attempted: req.body,
        by: req.user!,
        via: 'PATCH /api/v1/staff/documents/:id',
      }),
  );
};
