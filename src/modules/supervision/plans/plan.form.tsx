import type { FastifyRequest } from 'fastify';
import { todayInChina } from '../../../lib/china-time.ts';
import { WITNESS_SOURCES } from '../draw/index.ts';
import { RISK_CLASS_NAME, RISK_CLASSES } from '../reference/index.ts';
import {
  EXAMPLE_CLASS_RATIOS,
  FREQUENCY_CAP,
  TERRITORIAL_PRINCIPLE,
} from '../reference/inspection-practice.ts';
import { REGIME_RULES } from '../rules/rules.ts';
import { Csrf, fieldOf, fieldsOf } from '../shared/staff.views.tsx';
import type { PlanInput } from './plan.schema.ts';

/** The form of a new plan (制定抽查计划): what it posts, and the form itself. */

export const inputFromForm = (req: FastifyRequest): PlanInput => {
  const cap = fieldOf(req, 'yearlyCap');
  return {
    regimeSeq: Number(fieldOf(req, 'regimeSeq')),
    year: Number(fieldOf(req, 'year')),
    round: Number(fieldOf(req, 'round')),
    ratioPercent: fieldOf(req, 'ratioPercent'),
    minInspectors: Number(fieldOf(req, 'minInspectors')),
    countyIds: fieldsOf(req, 'countyIds').map(Number),
    riskClasses: fieldsOf(req, 'riskClasses'),
    belowMinReason: fieldOf(req, 'belowMinReason'),
    periodStart: fieldOf(req, 'periodStart'),
    periodEnd: fieldOf(req, 'periodEnd'),
    classRatios: Object.fromEntries(RISK_CLASSES.map((r) => [r, fieldOf(req, `ratio${r}`)])),
    yearlyCap: cap.trim() === '' ? undefined : Number(cap),
    inspectorScope: fieldOf(req, 'inspectorScope') || undefined,
    witnessSource: fieldOf(req, 'witnessSource'),
    witnessReference: fieldOf(req, 'witnessReference'),
    plannedDrawAt: fieldOf(req, 'plannedDrawAt'),
  };
};

/** A short hint under a field. */
const Hint = ({ children }: { children: string }) => <span class="hint">{children}</span>;

export function PlanForm({
  token,
  values: v,
  counties,
}: {
  token: string;
  values: Partial<PlanInput>;
  counties: ReadonlyArray<{ id: number; name: string }>;
}) {
  const today = todayInChina();
  const year = v.year || Number(today.slice(0, 4));
  const sources = WITNESS_SOURCES.map(
    (s) => `${s.name}：${s.reference.label}，${s.value.label}；${s.schedule}`,
  );
  return (
    <form method="post" action="/admin/supervision/plans" class="stack-form">
      <Csrf token={token} />
      <label>
        监管制度
        <select name="regimeSeq" required>
          {REGIME_RULES.map((r) => (
            <option value={String(r.seq)} selected={v.regimeSeq === r.seq}>
              {r.seq}. {r.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        年度
        <input name="year" type="number" min={2000} max={2100} required value={String(year)} />
      </label>
      <label>
        轮次
        <input name="round" type="number" min={1} max={99} required value={String(v.round ?? 1)} />
      </label>
      <fieldset>
        <legend>检查期间</legend>
        <label>
          开始日期
          <input name="periodStart" type="date" required value={v.periodStart ?? today} />
        </label>
        <label>
          结束日期
          <input name="periodEnd" type="date" required value={v.periodEnd ?? `${year}-12-31`} />
        </label>
      </fieldset>
      <label>
        抽查比例（%）：不低于制度规定；制度未规定的按需填写
        <input name="ratioPercent" inputMode="decimal" required value={v.ratioPercent ?? '10'} />
        <Hint>未单独填写比例的风险类别和未评定风险的检查对象按此比例抽取。</Hint>
      </label>
      <fieldset>
        <legend>按企业信用风险分类的抽查比例（%，不填则同上）</legend>
        <Hint>{`按县（市、区）×风险类别分层抽取。${EXAMPLE_CLASS_RATIOS.note}。任一比例低于制度规定时须填写理由并经另一名审核人批准。`}</Hint>
        {RISK_CLASSES.map((r) => (
          <label>
            {RISK_CLASS_NAME[r]}
            <input name={`ratio${r}`} inputMode="decimal" value={v.classRatios?.[r] ?? ''} />
          </label>
        ))}
      </fieldset>
      <label>
        每项任务的执法人员数
        <input
          name="minInspectors"
          type="number"
          min={1}
          max={20}
          required
          value={String(v.minInspectors ?? 2)}
        />
      </label>
      <fieldset>
        <legend>执法人员选派范围</legend>
        <label class="check">
          <input
            type="radio"
            name="inspectorScope"
            value="own-county"
            checked={(v.inspectorScope ?? TERRITORIAL_PRINCIPLE.defaultScope) === 'own-county'}
          />{' '}
          属地：只选派检查对象所在县（市、区）和市本级的执法人员
        </label>
        <label class="check">
          <input type="radio" name="inspectorScope" value="any" checked={v.inspectorScope === 'any'} />{' '}
          允许跨县（市、区）选派
        </label>
        <Hint>{`依据：${TERRITORIAL_PRINCIPLE.citations[0]!.says}（${TERRITORIAL_PRINCIPLE.citations[0]!.document}）`}</Hint>
      </fieldset>
      <label>
        每家企业年度检查次数上限
        <input
          name="yearlyCap"
          type="number"
          min={FREQUENCY_CAP.min}
          max={FREQUENCY_CAP.max}
          required
          value={String(v.yearlyCap ?? FREQUENCY_CAP.defaultPerYear)}
        />
        <Hint>{`本年度已达上限的企业不进入名录，并在承诺中逐一列出。依据：${FREQUENCY_CAP.citations[0]!.document}要求公布同一企业年度检查频次上限；原文“${FREQUENCY_CAP.citations[2]!.says}”。`}</Hint>
      </label>
      <fieldset>
        <legend>见证值（抽取时才产生的公开数值）</legend>
        <label>
          来源
          <select name="witnessSource" required>
            {WITNESS_SOURCES.map((s) => (
              <option value={s.id} selected={(v.witnessSource || 'cwl-ssq') === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <ul class="hint">
          {sources.map((s) => (
            <li>{s}</li>
          ))}
        </ul>
        <label>
          期号或轮次
          <input name="witnessReference" required autocomplete="off" value={v.witnessReference ?? ''} />
          <Hint>如双色球 2026055、大乐透 26055、drand 轮次 27946612；必须是公布承诺之后才开奖的一期。</Hint>
        </label>
        <label>
          计划抽取时间（北京时间）
          <input name="plannedDrawAt" type="datetime-local" required value={v.plannedDrawAt ?? ''} />
          <Hint>该期开奖结果公布的时刻或之后；此前不能抽取，公布承诺须早于此时间。</Hint>
        </label>
      </fieldset>
      <fieldset>
        <legend>限定县（市、区）（不选为全部）</legend>
        {counties.map((c) => (
          <label class="check">
            <input
              type="checkbox"
              name="countyIds"
              value={String(c.id)}
              checked={(v.countyIds ?? []).includes(c.id)}
            />{' '}
            {c.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>限定风险等级（不选为全部，含未评定）</legend>
        {RISK_CLASSES.map((r) => (
          <label class="check">
            <input type="checkbox" name="riskClasses" value={r} checked={(v.riskClasses ?? []).includes(r)} />{' '}
            {RISK_CLASS_NAME[r]}
          </label>
        ))}
      </fieldset>
      <label>
        低于规定比例的理由（比例不低于规定时不填）
        <textarea name="belowMinReason" rows={3} maxLength={1000}>
          {v.belowMinReason ?? ''}
        </textarea>
      </label>
      <button type="submit">保存为草稿</button>
    </form>
  );
}
