import { userInfo } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Actor } from '../../modules/audit/index.ts';

/** What every database command shares: where it prints, how it refuses, how it reads options. */

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Bad arguments: `zhize` prints the message with the usage and exits with 2. */
export class UsageError extends Error {}

export function parseOptions(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`参数有误：${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The audit trail's actor for whoever runs the command line. */
export const cliActor = (): Actor => ({ id: null, name: `cli:${userInfo().username}` });
