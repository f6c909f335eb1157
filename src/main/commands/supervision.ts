/**
 * Command-line commands of the supervision module, as pure functions of their arguments: each takes
 * the arguments after the command and returns what to print and the exit code. No process.exit, no
 * console; `zhize` (src/main/cli.ts) prints the result.
 *
 * Exit codes: 0 success / valid / match; 1 a well-formed request with a negative answer (invalid code,
 * mismatch, calendar not covered); 2 unusable input (bad arguments, unreadable file).
 */
import { readFileSync } from 'node:fs';
import { validateUscc } from '../../lib/uscc.ts';
import { addWorkingDays, CalendarCoverageError, InvalidDateError } from '../../lib/workdays.ts';
import { verifyDrawFile } from '../../modules/supervision/index.ts';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function ok(stdout: string): CommandResult {
  return { stdout, stderr: '', exitCode: 0 };
}

function failure(exitCode: number, stderr: string, stdout = ''): CommandResult {
  return { stdout, stderr, exitCode };
}

/** `zhize workdays add <YYYY-MM-DD> <n>`: prints the n-th working day after the date. */
export function workdaysAdd(argv: readonly string[]): CommandResult {
  const usage =
    '用法：zhize workdays add <YYYY-MM-DD> <工作日数> / usage: zhize workdays add <YYYY-MM-DD> <n>\n';
  if (argv.length !== 2)
    return failure(
      2,
      `参数个数错误，需要日期和天数两个参数 / expected 2 arguments, got ${argv.length}\n${usage}`,
    );
  const [date, count] = argv as [string, string];
  if (!/^\d+$/.test(count)) {
    return failure(
      2,
      `工作日数“${count}”无效，应为非负整数 / working-day count '${count}' must be a non-negative integer\n${usage}`,
    );
  }
  try {
    return ok(`${addWorkingDays(date, Number(count))}\n`);
  } catch (error) {
    if (error instanceof InvalidDateError)
      return failure(2, `${error.messageZh} / ${error.messageEn}\n${usage}`);
    if (error instanceof CalendarCoverageError) return failure(1, `${error.messageZh}\n${error.messageEn}\n`);
    throw error;
  }
}

/** `zhize uscc check <code>`: exit 0 and 'valid' when the code is valid, 1 with the reason otherwise. */
export function usccCheck(argv: readonly string[]): CommandResult {
  if (argv.length !== 1) {
    return failure(
      2,
      `需要一个统一社会信用代码参数 / expected exactly 1 argument\n用法 / usage: zhize uscc check <code>\n`,
    );
  }
  const result = validateUscc(argv[0]!);
  if (result.ok) {
    const note = result.code === argv[0] ? '' : `（已规范为 ${result.code} / normalised）`;
    return ok(`valid 有效：${result.code}${note}\n`);
  }
  return failure(1, `invalid 无效（${result.reasonCode}）：${result.reason}\n`);
}

const DRAW_USAGE = '用法 / usage: zhize draw verify <file> [--commitment <commitHash | commit-text file>]\n';

/** The file and the --commitment value of `zhize draw verify`, or why the arguments are wrong. */
function drawVerifyArgs(argv: readonly string[]): { file: string; commitment?: string } | string {
  const positional: string[] = [];
  let commitment: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--commitment') {
      if (i + 1 >= argv.length) return '--commitment 需要一个值 / --commitment needs a value';
      commitment = argv[++i]!;
    } else if (arg.startsWith('--commitment=')) commitment = arg.slice('--commitment='.length);
    else if (arg.startsWith('--')) return `未知选项 ${arg} / unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional.length !== 1)
    return `需要一个抽取文件参数 / expected exactly 1 file, got ${positional.length}`;
  return commitment === undefined ? { file: positional[0]! } : { file: positional[0]!, commitment };
}

/**
 * The published commitment given to --commitment: a commitHash, or a file holding the commit text
 * (or the hash). Null with a reason when it is neither.
 */
function publishedCommitment(value: string): { commitment: string } | { error: string } {
  if (/^[0-9a-f]{64}$/.test(value)) return { commitment: value };
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return {
      error: `--commitment 既不是64位小写十六进制的 commitHash，也无法作为文件读取（${code}） / --commitment is neither a commitHash nor a readable file (${code})`,
    };
  }
  if (/^[0-9a-f]{64}\s*$/.test(text) || /^zhize-draw\/v\d+\r?\n/.test(text)) return { commitment: text };
  return {
    error: `${value} 不是承诺文本（应以 zhize-draw/v1 或 zhize-draw/v2 开头）或 commitHash / not a commit text or commitHash`,
  };
}

/**
 * `zhize draw verify <file> [--commitment <hash | file>]`: recomputes a published draw file and, with
 * --commitment, checks it against the commitment published before the draw; 0 match, 1 mismatch,
 * 2 unusable input.
 */
export function drawVerify(argv: readonly string[]): CommandResult {
  const args = drawVerifyArgs(argv);
  if (typeof args === 'string') return failure(2, `${args}\n${DRAW_USAGE}`);
  let published: string | undefined;
  if (args.commitment !== undefined) {
    const p = publishedCommitment(args.commitment);
    if ('error' in p) return failure(2, `${p.error}\n${DRAW_USAGE}`);
    published = p.commitment;
  }
  const { file } = args;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return failure(2, `无法读取文件 ${file}（${code}） / cannot read file ${file} (${code})\n`);
  }
  const verification = verifyDrawFile(text, published === undefined ? {} : { commitment: published });
  const against = published === undefined ? '' : '，且与抽取前公布的承诺一致';
  if (verification.match) return ok(`match 一致：${file} 的抽取结果可由公开数据完整复算${against}\n`);
  const lines = verification.problems.map((p) => `  - ${p}\n`).join('');
  if (!verification.wellFormed) {
    return failure(2, `无法读取抽取文件 ${file} / not a readable draw file:\n${lines}`);
  }
  return failure(1, `不一致的原因 / reasons:\n${lines}`, `mismatch 不一致：${file}\n`);
}
