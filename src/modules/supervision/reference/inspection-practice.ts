/**
 * Figures of inspection practice that the source document does not state, as data with their
 * citations (where each was read; pages reproduced by third parties are named as such). Plans use
 * them as defaults and show them with their source; a deployment can correct them here.
 */

export interface PracticeCitation {
  /** The document: title and number. */
  document: string;
  /** Where it was read. */
  url: string;
  /** What it says that the figure relies on. */
  says: string;
}

/** 企业信用风险分类: the four national classes the register's risk classes are (reference/index.ts). */
export const RISK_CLASSIFICATION = {
  classes: { A: '信用风险低', B: '信用风险一般', C: '信用风险较高', D: '信用风险高' },
  citations: [
    {
      document:
        '市场监管总局《关于推进企业信用风险分类管理进一步提升监管效能的意见》（国市监信发〔2022〕6号）',
      url: 'http://www.herich.com.cn/zixun/caijingshishi/2022-01-13/535731.html',
      says: '推进企业信用风险分类管理……是提升“双随机、一公开”等监管工作效能的迫切需要（全文转载）。',
    },
    {
      document: '丹东市市场监督管理局《企业信用风险分类监管三年行动方案》报道（2023年5月）',
      url: 'https://aic.dandong.gov.cn/html/DDJGJ/202305/0168506601542937.html',
      says: '划分出信用风险低（A类）…信用风险一般（B类）…信用风险较高（C类）…信用风险高（D类）…以通用分类结果合理设定抽查检查对象范围，突出对高风险等级企业的监管倾斜。',
    },
    {
      document: '市场监管总局：企业信用风险分类结果与“双随机、一公开”监管全面融合（2024年1月报道）',
      url: 'https://www.jingji.com.cn/html/industry/scjg/318144.html',
      says: '每月将5000多万户企业划分为A、B、C、D四类……根据检查对象信用风险不同等级，合理确定、动态调整抽查比例和频次。',
    },
  ] satisfies PracticeCitation[],
} as const;

/**
 * An example of ratios by class shown on the plan form (not a legal figure: each plan sets its own,
 * and ratios below the regime's minimum need a reason and a second reviewer's approval).
 */
export const EXAMPLE_CLASS_RATIOS = {
  percent: { D: '100', C: '100', B: '5', A: '2' },
  note: '示例：D类100%、C类100%、B类5%、A类2%；河南省2021年度抽查按高风险30%、中高风险10%、中风险2%、低风险1%设定',
  citations: [
    {
      document: '河南省市场监管局2021年度“双随机、一公开”抽查启动（郑州日报）',
      url: 'https://dzb.zzrbnews.com/news/12860.html',
      says: '高风险企业抽查比例为30%，中高风险企业为10%，中风险企业为2%，低风险企业为1%。',
    },
  ] satisfies PracticeCitation[],
} as const;

/**
 * The yearly cap of checks per entity (同一企业年度检查频次上限): the State Council requires each
 * enforcement body to set and publish one (by the end of June 2025); the figure itself is the
 * bureau's. The default is the document's own frequency, "每年原则上检查一到两次" (line 1411).
 */
export const FREQUENCY_CAP = {
  defaultPerYear: 2,
  min: 1,
  max: 12,
  citations: [
    {
      document: '《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）',
      url: 'http://www.xjrq.gov.cn/rqxrmzf/c108774/202505/6171af9f5dad4536a6b2dd1c5b0ce6ff.shtml',
      says: '要求2025年6月底前建立分级分类检查制度，公布同一企业年度检查频次上限。',
    },
    {
      document: '司法部《〈国务院办公厅关于严格规范涉企行政检查的意见〉有关问题解答》',
      url: 'https://wanbiaoku.com./new/73d613e54c704aff8c7a65ef4ea85d39',
      says: '2025年6月底前，各主管部门须公布年度检查频次上限，涵盖日常、个案、专项检查（上级部署的专项检查除外）。',
    },
    {
      document: '衡水市商务局事中事后监管制度（data-bundled/source.txt 第1411行）',
      url: 'data-bundled/source.txt#L1411',
      says: '每年原则上检查一到两次',
    },
  ] satisfies PracticeCitation[],
} as const;

/** 属地: checks follow territorial jurisdiction; a plan may still allow inspectors from elsewhere. */
export const TERRITORIAL_PRINCIPLE = {
  defaultScope: 'own-county',
  citations: [
    {
      document: '甘肃省贯彻《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）的实施意见',
      url: 'http://law.foodmate.net/show-232783.html',
      says: '涉企行政检查以属地管辖为原则，严禁违规实施异地检查。',
    },
  ] satisfies PracticeCitation[],
} as const;
