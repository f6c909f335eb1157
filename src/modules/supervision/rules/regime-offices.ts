/**
 * Which office runs each supervision regime (part 3), as data with its citation. Part 3 names no
 * office; part 1 (部门职责登记表) does: the work item whose text covers the regime's matter names
 * its 责任科室 in the cell below it. Each entry cites that work item — the line of
 * data-bundled/source.txt and the exact words — and the office named on the following line(s).
 * Where no work item covers the matter, the regime has no office (`offices: []`, NOT_STATED):
 * only system administrators maintain its registers.
 *
 * Used to narrow what a 科室编辑 (editor) may do in supervision to what their offices own
 * (shared/reach.ts). `test/supervision-reach.test.ts` checks every citation against the document.
 */

import { NOT_STATED } from './rules.ts';

export interface RegimeOffices {
  regime: number;
  /** Office names as in part 1 (the first name of an office with a second one in parentheses). */
  offices: string[];
  /** The work item of part 1 that gives the matter to the office; null when none does. */
  citation: { line: number; quote: string } | null;
  note?: typeof NOT_STATED | string;
}

const of = (regime: number, office: string, line: number, quote: string, note?: string): RegimeOffices => ({
  regime,
  offices: [office],
  citation: { line, quote },
  ...(note ? { note } : {}),
});

const none = (regime: number): RegimeOffices => ({ regime, offices: [], citation: null, note: NOT_STATED });

export const REGIME_OFFICES: readonly RegimeOffices[] = [
  of(1, '市场秩序和政策法规科', 198, '负责推进商贸领域行政执法'),
  none(2),
  none(3),
  of(4, '市场运行和消费促进科', 258, '按有关规定对成品油市场进行监督管理'),
  of(5, '流通业发展服务贸易和市场体系建设科', 186, '对拍卖、旧货流通、免税商店等特殊流通行业进行监督管理'),
  of(6, '市场运行和消费促进科', 246, '承担重要消费品储备(肉类、小包装食品等)管理'),
  of(7, '市场秩序和政策法规科', 162, '负责单用途商业预付卡管理工作'),
  of(8, '市场秩序和政策法规科', 168, '推动零售商供应商公平交易'),
  of(9, '对外贸易和国际经贸关系科', 306, '负责全市对外贸易经营者备案登记的监督和指导工作'),
  of(10, '外国投资管理和对外经济合作科', 336, '依法管理外商投资企业设立及其变更事项的备案和监督检查工作'),
  of(11, '开发区管理科', 408, '对相关政策落实情况进行督促检查'),
  of(12, '外国投资管理和对外经济合作科', 456, '依法管理、监督全市对外投资'),
  of(13, '外国投资管理和对外经济合作科', 456, '对外承包工程'),
  of(14, '外国投资管理和对外经济合作科', 456, '对外劳务合作'),
  of(
    15,
    '流通业发展服务贸易和市场体系建设科',
    102,
    '推进再生资源回收',
    'part 1 names no work item for scrap vehicles; 再生资源回收 (recycling) is the nearest, and the boundary list (line 954) places 报废汽车回收管理 with the bureau',
  ),
];

export const officesOfRegime = (seq: number): string[] =>
  REGIME_OFFICES.find((r) => r.regime === seq)?.offices ?? [];
