import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';

/**
 * Structured JSON logs (pino, one object a line) with a request id on every line of a request,
 * and nothing of the people who write in: no bodies, no cookies or tokens, no query values, and
 * any phone number, e-mail address or ID-card number that reaches a message or a field is masked.
 * Complainants' names and descriptions only ever travel in bodies, which are never logged.
 */

/** A request id from the proxy (`X-Request-Id`) when it looks like one, else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(given) ? given : randomUUID();
}

const MASKS: ReadonlyArray<[RegExp, string]> = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  [/(?<!\d)\d{17}[\dXx](?!\d)/g, '[id-number]'],
  [/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g, '[phone]'],
  [/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, '[phone]'],
];

/** The text with personal contact data masked. */
export function maskPersonal(text: string): string {
  let out = text;
  for (const [pattern, mask] of MASKS) out = out.replace(pattern, mask);
  return out;
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonal(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; statusCode?: unknown };
    return {
      type: e.name,
      message: maskPersonal(e.message),
      stack: maskPersonal(e.stack ?? ''),
      ...(e.code === undefined ? {} : { code: e.code }),
      ...(e.statusCode === undefined ? {} : { statusCode: e.statusCode }),
    };
  }
  // Requests and replies: their serializers below pick the fields (and mask the URL).
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

/** The path and the names of the query parameters, never their values. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return maskPersonal(url);
  const names = [...new URLSearchParams(url.slice(q + 1)).keys()].map((k) => `${k}=…`);
  return `${maskPersonal(url.slice(0, q))}?${names.join('&')}`;
}

/** The logger and request-id settings of the Fastify server. */
export function loggingOptions(
  logger: boolean | { level: string; stream?: Writable },
): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'requestIdHeader'> {
  const base = { genReqId: requestId, requestIdHeader: false as const };
  if (logger === false) return { ...base, logger: false };
  const { level, stream } = logger === true ? { level: 'info', stream: undefined } : logger;
  return {
    ...base,
    logger: {
      level,
      ...(stream ? { stream } : {}),
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string }) => ({
          method: req?.method,
          url: typeof req?.url === 'string' ? loggableUrl(req.url) : undefined,
          remoteAddress: req?.ip,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res?.statusCode }),
      },
      formatters: { log: (obj: Record<string, unknown>) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args: unknown[], method: (...a: unknown[]) => void) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskPersonal(a) : a)),
          );
        },
      },
      redact: { paths: ['req.headers', 'headers.cookie', 'headers.authorization'], remove: true },
    },
  };
}
