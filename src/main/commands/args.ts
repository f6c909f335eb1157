import { type ParseArgsConfig, parseArgs } from 'node:util';

/** What the commands of `zhize` share: where they print, and how they read and refuse arguments. */

import { type Io, UsageError } from './io.ts';

export { type Io, UsageError };

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
