import { type ParseArgsConfig, parseArgs } from 'node:util';

/** What the commands of `zhize` share: where they print, and how they read and refuse arguments. */

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Bad arguments: cli.ts prints the message and the usage, exit code 2. */
export class UsageError extends Error {}

export function usage(message: string): never {
  throw new UsageError(message);
}

export function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`参数有误：${e instanceof Error ? e.message : String(e)}`);
  }
}
