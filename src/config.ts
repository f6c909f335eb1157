import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The one place environment variables are read. Every setting is documented here and
 * validated at start; a wrong value stops the process with a message that says what to fix.
 */
/** SUPERVISION_TASK_DUE_DAYS when not set. */
export const DEFAULT_TASK_DUE_DAYS = 30;

/**
 * LIST_ADJUST_MONTHS when not set: months within which a list must be adjusted after a change in
 * one of its legal bases. Some provinces require one month (issue 14, "Why"); set the deployment's
 * own rule here.
 */
export const DEFAULT_LIST_ADJUST_MONTHS = 1;

const EnvSchema = z.object({
  /** Where the data lives: `sqlite:<path>` (default `sqlite:./data/zhize.sqlite`) or `postgres://…`. */
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/zhize.sqlite')
    .refine((v) => /^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(v), {
      message: 'DATABASE_URL 必须以 sqlite: 或 postgres:// 开头 / must start with sqlite: or postgres://',
    }),
  /** Interface the HTTP server binds to. */
  HOST: z.string().default('127.0.0.1'),
  /** TCP port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Import the bundled document when the database has no departments yet (`0` to disable). */
  AUTO_IMPORT: z.enum(['0', '1']).default('1'),
  /** Log level of the server (pino levels). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set to `1` when served behind HTTPS: cookies get the Secure flag, HSTS is sent. */
  TRUST_HTTPS: z.enum(['0', '1']).default('0'),
  /**
   * The reverse proxies whose `X-Forwarded-For` (and `-Proto`, `-Host`) are believed: a comma-separated
   * list of addresses or CIDR ranges (`127.0.0.1,10.0.0.0/8`), or `loopback`, `linklocal`,
   * `uniquelocal`. Empty (the default): no proxy, the client address is the TCP peer's. Login
   * throttling and rate limits count per client address, so only a configured proxy may name it.
   */
  TRUST_PROXY: z
    .string()
    .default('')
    .refine((v) => proxyList(v).every(isProxySpec), {
      message:
        'TRUST_PROXY 必须是以逗号分隔的 IP 地址或网段（如 127.0.0.1,10.0.0.0/8），或 loopback / must list proxy addresses or CIDR ranges',
    }),
  /**
   * Prometheus metrics at `/metrics`: empty (the default) leaves the route off (404); otherwise the
   * scraper must send `Authorization: Bearer <METRICS_TOKEN>` (at least 16 characters).
   */
  METRICS_TOKEN: z
    .string()
    .default('')
    .refine((v) => v === '' || v.length >= 16, {
      message: 'METRICS_TOKEN 至少 16 个字符 / at least 16 characters',
    }),
  /**
   * Days after the draw by which an inspection task is due when its plan sets no inspection period:
   * the bureau's own default (the document states no time limit for carrying out a check).
   */
  SUPERVISION_TASK_DUE_DAYS: z.coerce.number().int().min(1).max(366).default(DEFAULT_TASK_DUE_DAYS),
  /**
   * A proposed fine of at least this many yuan offers the party a hearing (较大数额罚款, 行政处罚法
   * art. 63: the figure is the province's; supervision/penalties/penalty.law.ts).
   */
  ENFORCEMENT_HEARING_THRESHOLD_YUAN: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  /** Months to adjust the lists after a basis changed (list-health deadlines). */
  LIST_ADJUST_MONTHS: z.coerce.number().int().min(1).max(24).default(DEFAULT_LIST_ADJUST_MONTHS),
  /**
   * The review chain of list changes (动态调整): `default` (a reviewer approves, a reviewer
   * publishes), `dynamic` (编办审核 → 合法性审核 → 审批发布, three different people) or steps
   * `名称=role|role;…` (the last step publishes). Parsed by the changes module at start.
   */
  CHANGE_REVIEW_CHAIN: z.string().default('default'),
});

const proxyList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxySpec(spec: string): boolean {
  if (PROXY_NAMES.has(spec)) return true;
  const [addr, bits, ...rest] = spec.split('/');
  if (rest.length > 0 || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface Config {
  database: DatabaseTarget;
  host: string;
  port: number;
  autoImport: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  https: boolean;
  /** TRUST_PROXY: addresses and ranges of the proxies whose forwarding headers are believed ([] = none). */
  trustProxy: string[];
  /** METRICS_TOKEN: the bearer token of `/metrics`; null = no metrics route. */
  metricsToken: string | null;
  /** SUPERVISION_TASK_DUE_DAYS: a task's due date when its plan sets no inspection period. */
  taskDueDays: number;
  /** ENFORCEMENT_HEARING_THRESHOLD_YUAN: a fine from this amount (yuan) offers a hearing. */
  hearingThresholdYuan: number;
  /** LIST_ADJUST_MONTHS: the adjustment deadline of a list-health finding, in months. */
  listAdjustMonths: number;
  /** CHANGE_REVIEW_CHAIN: the review chain of list changes (see modules/changes/review-chain.ts). */
  reviewChain: string;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return { kind: 'sqlite', path: path === '' ? ':memory:' : path };
  }
  return { kind: 'postgres', url };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`配置错误 / invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    database: parseDatabaseUrl(e.DATABASE_URL),
    host: e.HOST,
    port: e.PORT,
    autoImport: e.AUTO_IMPORT === '1',
    logLevel: e.LOG_LEVEL,
    https: e.TRUST_HTTPS === '1',
    trustProxy: proxyList(e.TRUST_PROXY),
    metricsToken: e.METRICS_TOKEN === '' ? null : e.METRICS_TOKEN,
    taskDueDays: e.SUPERVISION_TASK_DUE_DAYS,
    hearingThresholdYuan: e.ENFORCEMENT_HEARING_THRESHOLD_YUAN,
    listAdjustMonths: e.LIST_ADJUST_MONTHS,
    reviewChain: e.CHANGE_REVIEW_CHAIN,
  };
}
