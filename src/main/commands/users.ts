import type { Database } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import {
  createUser,
  findAccountByUsername,
  officeIdsByName,
  ROLE_NAMES,
  ROLES,
  type Role,
  resetPassword,
  setUserRole,
} from '../../modules/auth/index.ts';
import { cliActor, type Io, parseOptions, UsageError } from './io.ts';

/**
 * `zhize user …`: staff accounts from the command line, through the same actions (and audit
 * entries) as 用户管理. Whoever runs it holds the database already, so no ability is checked.
 */

async function readPassword(io: Io, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY)
    throw new UsageError('标准输入不是终端：请用 --password-stdin 从标准输入提供密码');
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      io.err(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            io.err('\n');
            resolve(value);
            return;
          }
          if (ch === '\u0003') process.exit(130);
          if (ch === '\u007f') value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('密码：');
  const second = await ask('再次输入密码：');
  if (first !== second) throw new UsageError('两次输入的密码不一致');
  return first;
}

const roleOption = (value: unknown): Role => {
  const role = value as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new UsageError(`--role 必须是：${ROLES.join('、')}`);
  return role;
};

/** Office ids for the --office names; prints the unknown ones and returns null. */
async function officesOf(database: Database, names: unknown, io: Io): Promise<number[] | null> {
  const { ids, unknown } = await officeIdsByName(database.db, (names as string[] | undefined) ?? []);
  for (const name of unknown) io.err(`找不到科室“${name}”\n`);
  return unknown.length ? null : ids;
}

async function accountOf(database: Database, username: string | undefined, io: Io) {
  if (!username) throw new UsageError('请指定用户名');
  const account = await findAccountByUsername(database.db, username);
  if (!account) io.err(`找不到用户“${username}”\n`);
  return account;
}

/** A refusal of the action (weak password, editor without office…) printed in Chinese, exit 1. */
export async function refusing(io: Io, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** `zhize user create <username> --role R [--office 科室]… [--name 显示名] [--password-stdin]`. */
export async function userCreate(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    role: { type: 'string' },
    office: { type: 'string', multiple: true },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const username = positionals[0];
  if (!username) throw new UsageError('请指定用户名');
  const role = roleOption(values.role);
  const officeIds = await officesOf(database, values.office, io);
  if (!officeIds) return 1;
  const password = await readPassword(io, values['password-stdin'] === true);
  return refusing(io, async () => {
    const user = await database.db.transaction().execute((tx) =>
      createUser(tx, {
        username,
        displayName: values.name as string | undefined,
        role,
        password,
        officeIds,
        actor: cliActor(),
      }),
    );
    io.out(`已创建用户 ${user.username}（${ROLE_NAMES[user.role]}）\n`);
    return 0;
  });
}

/**
 * `zhize user reset-password <username> [--password-stdin]`: a temporary password (read from
 * stdin, or generated and printed once); the account's sessions end and it must choose a new
 * password at its next login.
 */
export async function userResetPassword(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'password-stdin': { type: 'boolean' } });
  const account = await accountOf(database, positionals[0], io);
  if (!account) return 1;
  const typed = values['password-stdin'] ? await readPassword(io, true) : undefined;
  return refusing(io, async () => {
    const r = await database.db
      .transaction()
      .execute((tx) => resetPassword(tx, { userId: account.id, password: typed, actor: cliActor() }));
    if (r.generated) io.out(`${r.password}\n`);
    io.err(
      `已重置用户 ${account.username} 的密码${r.generated ? '（上面是临时密码，只显示这一次）' : ''}；其登录已全部失效，下次登录时必须设置新密码\n`,
    );
    return 0;
  });
}

/** `zhize user set-role <username> --role R [--office 科室]…`: the account's sessions end at once. */
export async function userSetRole(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    role: { type: 'string' },
    office: { type: 'string', multiple: true },
  });
  const account = await accountOf(database, positionals[0], io);
  if (!account) return 1;
  const role = roleOption(values.role);
  const officeIds = await officesOf(database, values.office, io);
  if (!officeIds) return 1;
  return refusing(io, async () => {
    const r = await database.db
      .transaction()
      .execute((tx) => setUserRole(tx, { userId: account.id, role, officeIds, actor: cliActor() }));
    io.out(
      r.changed
        ? `已将用户 ${account.username} 设为${ROLE_NAMES[role]}；其登录已全部失效\n`
        : `用户 ${account.username} 的角色和科室没有变化\n`,
    );
    return 0;
  });
}
