import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeUscc } from '../../lib/uscc.ts';
import {
  buildDrawFile,
  COUNTIES,
  type DrawParametersV2,
  type RunDrawInput,
  runDraw,
  serializeDrawFile,
} from '../../modules/supervision/index.ts';
import { drawVerify, usccCheck, workdaysAdd } from './supervision.ts';

const directory = mkdtempSync(join(tmpdir(), 'zhize-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function writeTemp(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

/** A small but complete draw file: 60 entities over three counties, 4 inspectors. */
function drawFileText(): string {
  const counties = COUNTIES.slice(0, 3);
  const population = Array.from({ length: 60 }, (_, i) => {
    const county = counties[i % 3]!;
    return {
      uscc: composeUscc('91', county.divisionCode, `MA0${String(i).padStart(5, '0')}`),
      name: `企业${i}`,
      county: county.name,
    };
  });
  const inspectors = ['13110001', '13110002', '13110003', '13110004'].map((certificate, i) => ({
    certificate,
    name: `执法人员${i}`,
    county: counties[i % 3]!.name,
    conflicts: i === 0 ? [population[0]!.uscc] : [],
  }));
  const input: RunDrawInput = {
    parameters: {
      regimeId: '成品油年检',
      year: 2026,
      round: 1,
      ratioBasisPoints: 1000,
      minInspectorsPerTask: 2,
      strata: 'county',
    },
    population,
    inspectors,
    serverSeed: '3c'.repeat(32),
    witness: '见证值 2026-03-02',
  };
  return serializeDrawFile(buildDrawFile(input, runDraw(input)));
}

describe('zhize workdays add', () => {
  it('prints the 10th working day after 2026-09-28', () => {
    expect(workdaysAdd(['2026-09-28', '10'])).toEqual({ stdout: '2026-10-16\n', stderr: '', exitCode: 0 });
  });

  it('explains a malformed date in Chinese and English and exits 2', () => {
    const result = workdaysAdd(['2026/09/28', '10']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('格式错误');
    expect(result.stderr).toContain('is not in YYYY-MM-DD form');
  });

  it.each([[['2026-09-28', '-1']], [['2026-09-28', 'ten']], [['2026-09-28']], [[]]])(
    'rejects the arguments %j with exit code 2',
    (argv) => {
      const result = workdaysAdd(argv);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/用法/);
    },
  );

  it('exits 1 with a message when the year is not covered by the holiday data', () => {
    const result = workdaysAdd(['2027-03-01', '5']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('2027年');
    expect(result.stderr).toContain('no schedule for 2027');
  });
});

describe('zhize uscc check', () => {
  it('prints valid for a valid code and exits 0', () => {
    const result = usccCheck(['91350100M000100Y43']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('valid');
    expect(result.stdout).toContain('91350100M000100Y43');
  });

  it('shows the normalised form of a lower-case code', () => {
    expect(usccCheck(['91350100m000100y43']).stdout).toContain('已规范为 91350100M000100Y43');
  });

  it('prints the reason and exits 1 for a wrong check character', () => {
    const result = usccCheck(['91350100M000100Y44']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('第18位校验码应为3，实际为4');
    expect(result.stderr).toContain('check-char');
  });

  it('exits 2 without exactly one argument', () => {
    expect(usccCheck([]).exitCode).toBe(2);
    expect(usccCheck(['a', 'b']).exitCode).toBe(2);
  });
});

describe('zhize draw verify', () => {
  const text = drawFileText();

  it('prints match (一致) and exits 0 for an untouched file', () => {
    const result = drawVerify([writeTemp('ok.json', text)]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^match 一致/);
    expect(result.stderr).toBe('');
  });

  it('prints mismatch (不一致) with reasons and exits 1 when the witness was changed', () => {
    const result = drawVerify([writeTemp('witness.json', text.replace('2026-03-02', '2026-03-03'))]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^mismatch 不一致/);
    expect(result.stderr).toContain('drawSeed does not match serverSeed and witness');
  });

  it('exits 2 for a missing file, naming it', () => {
    const path = join(directory, 'absent.json');
    const result = drawVerify([path]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(path);
    expect(result.stderr).toContain('ENOENT');
  });

  it('exits 2 for a file that is not a draw file', () => {
    const result = drawVerify([writeTemp('other.json', '{"format":"zhize-dataset"}\n')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not a readable draw file');
  });
});

describe('zhize draw verify --commitment', () => {
  const doc = readFileSync(join(process.cwd(), 'docs/draws.md'), 'utf8');
  const { input } = JSON.parse(/<!-- v2-test-vector[^>]*-->\n```json\n([\s\S]*?)\n```/.exec(doc)![1]!) as {
    input: RunDrawInput & { parameters: DrawParametersV2 };
  };
  const result = runDraw(input);
  const file = writeTemp('v2.json', serializeDrawFile(buildDrawFile(input, result)));
  const commitFile = writeTemp('commitment.txt', result.commitment.commitText);
  const forged = {
    ...input,
    parameters: {
      ...input.parameters,
      witnessSource: 'cslc-dlt',
      witnessReference: '26025',
      witnessFormat: 'groups:5@1-35,2@1-12',
    },
    witness: '03 11 19 27 35 02 09',
  };
  const forgedFile = writeTemp('forged.json', serializeDrawFile(buildDrawFile(forged, runDraw(forged))));

  it('says match when the file carries the published commitment, as a hash or as the commit text', () => {
    for (const commitment of [result.commitment.commitHash, commitFile]) {
      const r = drawVerify([file, '--commitment', commitment]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('且与抽取前公布的承诺一致');
    }
    expect(drawVerify([`--commitment=${result.commitment.commitHash}`, file]).exitCode).toBe(0);
  });

  it('exits 1 naming the witness source when the file was redone with another source', () => {
    expect(drawVerify([forgedFile]).exitCode).toBe(0); // consistent in itself
    const r = drawVerify([forgedFile, '--commitment', commitFile]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^mismatch 不一致/);
    expect(r.stderr).toContain('witnessSource 与抽取前公布的承诺不一致：承诺为“cwl-ssq”，文件中为“cslc-dlt”');
    const byHash = drawVerify([forgedFile, '--commitment', result.commitment.commitHash]);
    expect(byHash.exitCode).toBe(1);
    expect(byHash.stderr).toContain('commitHash differs from the published commitment');
  });

  it.each([
    [['--commitment'], 'needs a value'],
    [[file, '--commitment'], 'needs a value'],
    [[file, '--commit', 'x'], 'unknown option --commit'],
    [[file, '--commitment', join(directory, 'absent.txt')], 'ENOENT'],
    [[file, '--commitment', file], 'not a commit text'],
    [[file, file], 'expected exactly 1 file, got 2'],
  ])('exits 2 for the arguments %j', (argv, reason) => {
    const r = drawVerify(argv);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).toContain('usage: zhize draw verify');
  });
});
