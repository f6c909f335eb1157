/**
 * A deterministic city-scale document for import benchmarks: the lists of 40 Hengshui city
 * departments (衡水市商务局 first), each with the four parts of the seed document, written in
 * exactly the seed's text-export layout (a table cell per line starting with a TAB, rows
 * separated by blank lines, part 3 as free text).
 *
 * Sentences are built from verb/object/field word lists (with seed sentences as templates), so
 * that a search index sees a realistic vocabulary. A few of the seed's layout traps are put in
 * on purpose — a stray blank line inside a row, a cell continued on a line without a TAB, a
 * part-2 row glued to the previous one without its 序号, a work item repeated under a second
 * duty — all of them ones the parser repairs.
 *
 *   npx tsx bench/import/generate-city.ts [out.txt]     (default bench/.out/city.txt)
 *
 * Randomness comes from a seeded PRNG, one stream per department, so the first n departments
 * of a run with `departments: n` are the same as those of the full run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface GenerateCityOptions {
  /** 1–40; default 40. */
  departments?: number;
  /** PRNG seed; default 20190612. */
  seed?: number;
}

/** What the document contains, counted while writing it (names follow ImportCounts). */
export interface CityCounts {
  departments: number;
  offices: number;
  duties: number;
  workItems: number;
  boundaryMatters: number;
  shares: number;
  legalBases: number;
  regimes: number;
  services: number;
  /** Deliberate layout traps, by kind. */
  traps: { splitRow: number; spilledCell: number; gluedRow: number; repeatedItem: number };
}

export interface GeneratedCity {
  text: string;
  counts: CityCounts;
}

export const DEFAULT_SEED = 20190612;

export const PART_SUFFIXES = [
  '部门职责登记表',
  '与相关部门的职责边界登记表',
  '事中事后监管制度',
  '公共服务事项登记表',
] as const;

export const HEADERS = {
  duties: ['序号', '主要职责', '具体工作事项', '责任科室', '备  注'],
  matters: ['序号', '管理事项', '相关部门', '职责分工', '相关依据', '案例'],
  services: ['序号', '服务事项', '主要内容', '承办机构', '联系电话'],
} as const;

export const SECTION_HEADINGS = [
  '监督检查对象',
  '监督检查内容',
  '监督检查方式',
  '监督检查措施',
  '监督检查程序',
  '监督检查处理',
] as const;

// ---------------------------------------------------------------------------------------
// Departments

interface Dept {
  name: string;
  short: string;
  /** Other ways the document writes `short` in part 2. */
  aliases?: string[];
  prefix: string;
  offices: string[];
  fields: string[];
  objects: string[];
}

const w = (s: string): string[] => s.split(' ');

export const DEPARTMENTS: readonly Dept[] = [
  {
    name: '衡水市商务局',
    short: '市商务局',
    prefix: '衡商',
    offices: [
      '办公室',
      '流通业发展服务贸易和市场体系建设科',
      '财务科',
      '市场秩序和政策法规科',
      '市场运行和消费促进科',
      '对外贸易和国际经贸关系科（衡水市机电产品进出口办公室）',
      '外国投资管理和对外经济合作科',
      '招商引资管理科',
      '开发区管理科',
      '外事科',
    ],
    fields: w(
      '商贸流通 服务贸易 市场秩序 市场运行监测 消费促进 对外贸易 外商投资 对外经济合作 招商引资 开发区建设 外事',
    ),
    objects: w(
      '成品油经营企业 单用途商业预付卡发卡企业 拍卖企业 典当行 报废汽车回收拆解企业 对外贸易经营者 外商投资企业 再生资源回收企业',
    ),
  },
  {
    name: '衡水市市场监督管理局',
    short: '市市场监督管理局',
    prefix: '衡市监',
    offices: w(
      '办公室 登记注册科 信用监督管理科 食品生产安全监督管理科 食品经营安全监督管理科 特种设备安全监察科 产品质量安全监督管理科 计量科 标准化科 法规科',
    ),
    fields: w('市场主体登记 食品安全 特种设备安全 产品质量 计量 标准化 知识产权 价格监督检查'),
    objects: w('食品生产企业 特种设备使用单位 计量器具 网络交易平台 个体工商户 农贸市场 药品零售企业'),
  },
  {
    name: '衡水市财政局',
    short: '市财政局',
    prefix: '衡财',
    offices: w('办公室 预算科 国库科 综合科 经济建设科 农业农村科 社会保障科 政府采购监督管理科 会计科'),
    fields: w('预算管理 国库集中支付 政府采购 会计管理 财政监督 国有资产管理 政府债务管理'),
    objects: w('预算单位 政府采购代理机构 会计师事务所 财政专项资金 政府债券 行政事业单位国有资产'),
  },
  {
    name: '衡水市发展和改革委员会',
    short: '市发展改革委',
    aliases: ['市发展和改革委员会'],
    prefix: '衡发改',
    offices: w('办公室 发展规划科 国民经济综合科 投资科 固定资产投资审批科 价格科 能源科 社会发展科'),
    fields: w('国民经济发展规划 固定资产投资 价格管理 能源发展 重点项目建设 社会信用体系建设 区域协调发展'),
    objects: w('政府投资项目 重点建设项目 企业投资项目 能源企业 价格认定机构'),
  },
  {
    name: '衡水市工业和信息化局',
    short: '市工业和信息化局',
    prefix: '衡工信',
    offices: w(
      '办公室 规划科 运行监测协调科 产业发展科 中小企业科 节能与综合利用科 信息化推进科 科技与质量科',
    ),
    fields: w('工业经济运行 产业结构调整 中小企业发展 工业节能 信息化建设 技术改造 民营经济'),
    objects: w('规模以上工业企业 中小企业 工业园区 技术改造项目 专精特新企业'),
  },
  {
    name: '衡水市教育局',
    short: '市教育局',
    prefix: '衡教',
    offices: w(
      '办公室 基础教育科 职业教育与成人教育科 学前教育科 教师工作科 学生资助管理科 安全稳定科 督导科',
    ),
    fields: w('基础教育 职业教育 学前教育 教师队伍建设 学生资助 校园安全 教育督导'),
    objects: w('中小学校 幼儿园 职业院校 校外培训机构 民办学校'),
  },
  {
    name: '衡水市科学技术局',
    short: '市科学技术局',
    prefix: '衡科',
    offices: w(
      '办公室 规划与政策法规科 高新技术发展及产业化科 农村科技科 社会发展科技科 成果转化与科技合作科',
    ),
    fields: w('科技创新 高新技术产业 科技成果转化 农业科技 科技合作交流 科普工作'),
    objects: w('高新技术企业 科技型中小企业 科研院所 众创空间 科技企业孵化器'),
  },
  {
    name: '衡水市公安局',
    short: '市公安局',
    prefix: '衡公',
    offices: w(
      '指挥中心 治安管理支队 刑事侦查支队 经济犯罪侦查支队 出入境管理支队 交通警察支队 网络安全保卫支队 法制支队 人口管理支队',
    ),
    fields: w('社会治安管理 刑事案件侦查 经济犯罪侦查 出入境管理 道路交通安全 网络安全保卫 户籍管理'),
    objects: w('特种行业 旅馆业 废旧金属收购企业 娱乐场所 危险化学品单位 互联网上网服务场所'),
  },
  {
    name: '衡水市民政局',
    short: '市民政局',
    prefix: '衡民',
    offices: w('办公室 社会组织管理科 社会救助科 养老服务科 儿童福利科 区划地名科 婚姻登记处 社会事务科'),
    fields: w('社会组织管理 社会救助 养老服务 儿童福利 行政区划和地名 婚姻登记 殡葬管理'),
    objects: w('社会团体 民办非企业单位 养老机构 殡葬服务单位 救助管理站'),
  },
  {
    name: '衡水市司法局',
    short: '市司法局',
    prefix: '衡司',
    offices: w(
      '办公室 立法科 行政执法协调监督科 行政复议与应诉科 律师工作科 公证工作科 人民参与和促进法治科 社区矫正管理科',
    ),
    fields: w('政府立法 行政执法监督 行政复议 律师管理 公证管理 人民调解 社区矫正 普法宣传'),
    objects: w('律师事务所 公证机构 司法鉴定机构 基层法律服务所 人民调解委员会'),
  },
  {
    name: '衡水市人力资源和社会保障局',
    short: '市人社局',
    aliases: ['市人力资源和社会保障局'],
    prefix: '衡人社',
    offices: w(
      '办公室 就业促进科 职业能力建设科 养老保险科 工伤保险科 劳动关系科 劳动保障监察科 人才开发科 事业单位人事管理科',
    ),
    fields: w('就业促进 职业技能培训 社会保险 劳动关系 劳动保障监察 人才开发 工资福利'),
    objects: w('用人单位 人力资源服务机构 职业培训机构 技工院校 劳务派遣单位'),
  },
  {
    name: '衡水市自然资源和规划局',
    short: '市自然资源和规划局',
    prefix: '衡自然资规',
    offices: w(
      '办公室 国土空间规划科 耕地保护监督科 自然资源确权登记科 地质勘查管理科 矿业权管理科 测绘地理信息管理科 执法监察科',
    ),
    fields: w('国土空间规划 耕地保护 不动产登记 矿产资源管理 测绘地理信息 土地执法监察'),
    objects: w('建设用地 矿山企业 测绘资质单位 不动产权利人 土地储备项目'),
  },
  {
    name: '衡水市生态环境局',
    short: '市生态环境局',
    prefix: '衡环',
    offices: w(
      '办公室 大气环境管理科 水生态环境科 土壤生态环境科 环境影响评价与排放管理科 固体废物与化学品科 生态环境监测科 执法监督科',
    ),
    fields: w('大气污染防治 水污染防治 土壤污染防治 环境影响评价 排污许可 固体废物管理 生态环境监测'),
    objects: w('排污单位 危险废物经营单位 机动车排放检验机构 建设项目 重点排污单位'),
  },
  {
    name: '衡水市住房和城乡建设局',
    short: '市住房和城乡建设局',
    aliases: ['市住房城乡建设局'],
    prefix: '衡建',
    offices: w(
      '办公室 建筑市场监管科 工程质量安全监管科 房地产市场监管科 住房保障科 城市建设科 村镇建设科 建筑节能与科技科',
    ),
    fields: w('建筑市场监管 工程质量安全 房地产市场 住房保障 城市基础设施建设 村镇建设 建筑节能'),
    objects: w('建筑施工企业 房地产开发企业 物业服务企业 保障性住房 工程监理单位'),
  },
  {
    name: '衡水市交通运输局',
    short: '市交通运输局',
    prefix: '衡交',
    offices: w('办公室 综合规划科 公路管理科 道路运输管理科 城市客运管理科 安全监督科 工程建设管理科'),
    fields: w('公路建设养护 道路运输 城市公共交通 交通运输安全 交通工程建设 农村公路'),
    objects: w('道路运输企业 机动车维修企业 驾驶员培训机构 出租汽车企业 公交企业'),
  },
  {
    name: '衡水市水利局',
    short: '市水利局',
    prefix: '衡水利',
    offices: w('办公室 规划计划科 水资源管理科 河湖管理科 建设与运行管理科 农村水利水电科 水土保持科'),
    fields: w('水资源管理 河湖管理 水利工程建设 农村饮水安全 水土保持 防汛抗旱'),
    objects: w('取水单位 水利工程 河道采砂 农村供水工程 地下水超采区'),
  },
  {
    name: '衡水市农业农村局',
    short: '市农业农村局',
    prefix: '衡农',
    offices: w(
      '办公室 乡村产业发展科 农村合作经济指导科 种植业管理科 畜牧兽医科 农产品质量安全监管科 农田建设管理科 农业综合执法支队',
    ),
    fields: w('乡村产业发展 农村集体经济 种植业 畜牧兽医 农产品质量安全 高标准农田建设 农业综合执法'),
    objects: w('农民专业合作社 家庭农场 畜禽养殖场 农药经营单位 种子生产经营者 兽药经营企业'),
  },
  {
    name: '衡水市文化广电和旅游局',
    short: '市文化广电和旅游局',
    prefix: '衡文旅',
    offices: w('办公室 艺术科 公共服务科 文物科 资源开发科 市场管理科 广播电视科 文化市场综合执法支队'),
    fields: w('文化艺术 公共文化服务 文物保护 旅游资源开发 文化旅游市场 广播电视'),
    objects: w('旅行社 A级旅游景区 网吧 娱乐场所 演出经纪机构 文物保护单位'),
  },
  {
    name: '衡水市卫生健康委员会',
    short: '市卫生健康委员会',
    aliases: ['市卫生健康委'],
    prefix: '衡卫',
    offices: w('办公室 医政医管科 疾病预防控制科 基层卫生健康科 妇幼健康科 综合监督科 老龄健康科 中医药科'),
    fields: w('医疗机构管理 疾病预防控制 基层卫生 妇幼健康 卫生监督 老龄健康 中医药'),
    objects: w('医疗机构 公共场所 供水单位 职业卫生单位 医疗美容机构'),
  },
  {
    name: '衡水市退役军人事务局',
    short: '市退役军人事务局',
    prefix: '衡退役',
    offices: w('办公室 移交安置科 就业创业科 拥军优抚科 褒扬纪念科 权益维护科'),
    fields: w('移交安置 就业创业 拥军优抚 褒扬纪念 权益维护'),
    objects: w('退役军人服务站 烈士纪念设施 优抚对象 光荣院'),
  },
  {
    name: '衡水市应急管理局',
    short: '市应急管理局',
    prefix: '衡应急',
    offices: w(
      '办公室 应急指挥科 风险监测和综合减灾科 危险化学品安全监督管理科 工贸行业安全监督管理科 火灾防治管理科 执法监督科',
    ),
    fields: w('应急指挥 综合减灾 危险化学品安全 工贸行业安全生产 防汛抗旱 安全生产执法'),
    objects: w('危险化学品生产企业 工贸企业 烟花爆竹经营单位 应急避难场所 非煤矿山'),
  },
  {
    name: '衡水市审计局',
    short: '市审计局',
    prefix: '衡审',
    offices: w('办公室 财政审计科 经济责任审计科 固定资产投资审计科 社会保障审计科 法规审理科'),
    fields: w('财政审计 经济责任审计 投资审计 社会保障审计 内部审计指导'),
    objects: w('预算执行单位 政府投资项目 国有企业 社会保障基金'),
  },
  {
    name: '衡水市人民政府国有资产监督管理委员会',
    short: '市国资委',
    prefix: '衡国资',
    offices: w('办公室 规划发展科 产权管理科 企业改革科 财务监督与考核评价科 党建工作科'),
    fields: w('国有资产监管 国有企业改革 产权管理 业绩考核 财务监督'),
    objects: w('市属国有企业 国有资本投资运营公司 国有产权'),
  },
  {
    name: '衡水市统计局',
    short: '市统计局',
    prefix: '衡统',
    offices: w(
      '办公室 综合科 国民经济核算科 工业交通能源统计科 贸易外经统计科 人口和社会科技统计科 统计执法监督科',
    ),
    fields: w('统计调查 国民经济核算 统计执法 经济普查 统计信息服务'),
    objects: w('统计调查对象 规模以上企业 联网直报单位'),
  },
  {
    name: '衡水市医疗保障局',
    short: '市医疗保障局',
    prefix: '衡医保',
    offices: w('办公室 待遇保障科 医药服务管理科 医药价格和招标采购科 基金监管科 规划财务和法规科'),
    fields: w('医疗保障待遇 医药服务管理 医药价格 医保基金监管 医疗救助'),
    objects: w('定点医疗机构 定点零售药店 参保单位 医保经办机构'),
  },
  {
    name: '衡水市行政审批局',
    short: '市行政审批局',
    prefix: '衡审批',
    offices: w('办公室 政务服务科 投资项目审批科 市场准入审批科 社会事务审批科 勘验科'),
    fields: w('政务服务 投资项目审批 市场准入 社会事务审批 现场勘验'),
    objects: w('审批事项 政务服务中心 中介服务机构 市场主体'),
  },
  {
    name: '衡水市城市管理综合行政执法局',
    short: '市城管局',
    aliases: ['市城市管理综合行政执法局'],
    prefix: '衡城管',
    offices: w('办公室 市容管理科 环境卫生管理科 市政公用科 园林绿化科 执法督查科 数字城管中心'),
    fields: w('市容环境 环境卫生 市政公用设施 园林绿化 城市管理执法'),
    objects: w('户外广告设施 建筑垃圾运输企业 燃气经营企业 城市道路 公园'),
  },
  {
    name: '衡水市体育局',
    short: '市体育局',
    prefix: '衡体',
    offices: w('办公室 群众体育科 竞技体育科 体育经济科 青少年体育科 场馆管理科'),
    fields: w('全民健身 竞技体育 体育产业 青少年体育 体育场馆运营'),
    objects: w('体育场馆 高危险性体育项目经营单位 体育社会组织 健身俱乐部'),
  },
  {
    name: '衡水市信访局',
    short: '市信访局',
    prefix: '衡信访',
    offices: w('办公室 接待科 办信科 督查科 复查复核科 网上信访科'),
    fields: w('信访接待 信访事项办理 信访督查 复查复核 网上信访'),
    objects: w('信访事项 信访人 责任单位'),
  },
  {
    name: '衡水市人民防空办公室',
    short: '市人防办',
    prefix: '衡人防',
    offices: w('办公室 指挥通信科 工程管理科 宣传教育科 审批科 执法监察科'),
    fields: w('人防工程建设 防空警报 人防宣传教育 人防工程审批 人防执法'),
    objects: w('人防工程 结合民用建筑修建的防空地下室 人防警报设施'),
  },
  {
    name: '衡水市地方金融监督管理局',
    short: '市金融办',
    aliases: ['市地方金融监督管理局'],
    prefix: '衡金融',
    offices: w('办公室 金融发展科 地方金融监管科 防范和处置非法集资科 资本市场科 普惠金融科'),
    fields: w('金融业发展 地方金融监管 防范非法集资 企业上市 普惠金融'),
    objects: w('小额贷款公司 融资担保公司 上市后备企业 区域性股权市场'),
  },
  {
    name: '衡水市供销合作社',
    short: '市供销社',
    prefix: '衡供销',
    offices: w('办公室 业务发展科 合作指导科 财务审计科 再生资源管理科 资产管理科'),
    fields: w('农资经营 农产品流通 再生资源回收 基层社建设 社有资产管理'),
    objects: w('基层供销社 农资经营网点 再生资源回收网点 农民合作社'),
  },
  {
    name: '衡水市粮食和物资储备局',
    short: '市粮食和物资储备局',
    prefix: '衡粮',
    offices: w('办公室 储备管理科 仓储与科技科 执法督查科 规划财务科 粮食流通科'),
    fields: w('粮食储备 仓储管理 粮食流通监督 应急物资储备 粮食质量安全'),
    objects: w('粮食收购企业 储备粮承储企业 粮食仓储单位 应急物资储备库'),
  },
  {
    name: '衡水市机关事务管理局',
    short: '市机关事务管理局',
    prefix: '衡机管',
    offices: w('办公室 公共机构节能管理科 资产管理科 公务用车管理科 房产管理科 财务科'),
    fields: w('公共机构节能 机关资产管理 公务用车管理 办公用房管理 后勤服务'),
    objects: w('公共机构 公务用车 办公用房 机关食堂'),
  },
  {
    name: '衡水市气象局',
    short: '市气象局',
    prefix: '衡气',
    offices: w('办公室 业务科技科 防灾减灾科 法规科 计划财务科 气象台'),
    fields: w('气象预报预警 气象灾害防御 人工影响天气 气象探测环境保护 防雷减灾'),
    objects: w('防雷装置 施放气球单位 气象探测设施 人工影响天气作业点'),
  },
  {
    name: '衡水市税务局',
    short: '市税务局',
    prefix: '衡税',
    offices: w('办公室 纳税服务科 征收管理科 货物和劳务税科 所得税科 社会保险费科 稽查局'),
    fields: w('税收征收管理 纳税服务 发票管理 社会保险费征收 税务稽查'),
    objects: w('纳税人 扣缴义务人 发票 涉税专业服务机构'),
  },
  {
    name: '衡水市消防救援支队',
    short: '市消防救援支队',
    prefix: '衡消',
    offices: w('办公室 防火监督处 作战训练处 后勤装备处 政治处 法制科'),
    fields: w('消防安全监督 灭火救援 消防宣传 火灾调查 消防产品监督'),
    objects: w('人员密集场所 消防安全重点单位 高层建筑 消防技术服务机构'),
  },
  {
    name: '衡水市邮政管理局',
    short: '市邮政管理局',
    prefix: '衡邮',
    offices: w('办公室 市场监管科 普遍服务科 安全监管科 行业发展科 法规科'),
    fields: w('邮政普遍服务 快递市场监管 寄递安全 邮政行业发展'),
    objects: w('快递企业 快递末端网点 邮政企业 寄递物流企业'),
  },
  {
    name: '衡水市贸易促进委员会',
    short: '市贸促会',
    prefix: '衡贸促',
    offices: w('办公室 会展部 联络部 法律事务部 商事认证中心 经济信息部'),
    fields: w('会展业发展 对外联络 商事法律服务 商事认证 经贸信息'),
    objects: w('展览会 会展企业 出口企业 商会'),
  },
  {
    name: '衡水市民族宗教事务局',
    short: '市民族宗教事务局',
    prefix: '衡民宗',
    offices: w('办公室 民族工作科 宗教工作一科 宗教工作二科 政策法规科 财务科'),
    fields: w('民族团结进步 民族经济发展 宗教事务管理 宗教活动场所管理'),
    objects: w('宗教活动场所 宗教团体 少数民族聚居村'),
  },
];

// ---------------------------------------------------------------------------------------
// Word lists

const SCOPES = ['全市', '我市', '各县（市、区）', '市本级', '全市范围内', ''];
const PLAN = w('拟订 起草 编制 研究提出 组织制定 修订');
const DO = w('组织实施 贯彻落实 统筹推进 监督实施 推动落实 协调推进');
const GUIDE = w('指导 协调 督促 规范 指导监督 统筹');
const NOUN2 = w(
  '发展规划 政策措施 年度计划 地方标准 统计分析 信息化建设 专项资金 行政许可 备案管理 监督检查 应急预案 信用体系建设 考核评价 宣传培训 项目申报 安全生产 风险监测 数据报送 档案管理 绩效评价 督查督办 行业自律 示范创建 改革试点 标准体系',
);
const ACT = w(
  '监督管理 审核审批 日常监管 行政执法 统计监测 指导服务 备案登记 检查评估 综合协调 资格认定 行业管理 动态监测',
);
const APPLY = ['设立、变更', '年度报告', '备案', '资格认定', '延续、注销', '许可'];
const HANDLE = ['相关手续', '审核审批', '备案登记', '资格认定', '变更登记', '年度核验'];
const CAMPAIGN = ['专项检查', '专项整治', '监督抽查', '执法检查', '隐患排查', '调查研究', '督导检查'];
const ADMIN_FIELDS = w('机关政务 政务信息公开 机关党建 安全保密 文电会务 新闻宣传 建议提案办理 机关财务');
const TITLE_ASPECTS = ['经营活动', '资质条件', '备案事项', '日常经营', '安全生产', '信用'];
const MECH = w('工作机制 协调机制 信息通报机制 风险预警机制 长效机制 联席会议制度 考核制度');
const REMARKS = ['牵头', '配合', '按年度开展', '与相关科室共同负责', '按季度报送', '涉密事项按规定办理'];
const CONDITIONS = [
  '依法取得相关许可或者办理备案',
  '按规定报送统计资料和经营信息',
  '建立健全内部管理制度',
  '存在超越许可范围经营的行为',
  '落实安全生产主体责任',
  '按要求公示相关信息',
  '存在弄虚作假、隐瞒有关情况的行为',
  '按照规定保存相关记录和档案',
  '执行国家和省有关技术规范',
  '配合有关部门开展监督检查',
];
const LAW_TOPICS = w(
  '行政许可 行政处罚 安全生产 消费者权益保护 产品质量 食品安全 对外贸易 环境保护 统计 会计 预算 政府采购 税收征收管理 道路交通安全 价格 招标投标 土地管理 城乡规划 建筑 教育 就业促进 社会保险 档案 水 公路 农产品质量安全 网络安全 电子商务',
);
const ISSUERS: ReadonlyArray<readonly [string, string]> = [
  ['衡水市人民政府办公室', '衡政办'],
  ['衡水市人民政府', '衡政'],
  ['衡水市人民政府办公室', '衡政办字'],
  ['河北省人民政府办公厅', '冀政办'],
  ['河北省人民政府办公厅', '冀政办字'],
  ['河北省人民政府', '冀政'],
  ['国务院办公厅', '国办发'],
  ['国务院', '国发'],
];
const DOC_TYPES = w('通知 实施意见 指导意见 若干意见 实施方案 暂行办法');
const MINISTRIES = w(
  '商务部 国家发展改革委 财政部 国家市场监督管理总局 生态环境部 交通运输部 农业农村部 应急管理部 住房和城乡建设部',
);
const PROBLEMS = [
  '未按规定办理相关手续',
  '存在安全隐患',
  '被群众投诉举报',
  '擅自变更经营范围',
  '未按时报送有关材料',
  '出现质量问题',
  '存在虚假宣传行为',
];
const LICENSES = ['经营许可', '备案登记', '资格证书', '相关资质', '行政许可'];
const SERVICE_KINDS = [
  '政策咨询',
  '业务培训',
  '信息发布',
  '投诉举报受理',
  '办事指南查询',
  '数据统计发布',
  '申报指导',
  '现场服务',
  '宣传推介',
  '政策解读',
];

const CN = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1–99 as a Chinese numeral: 1 → 一, 12 → 十二, 20 → 二十. */
export function cnNumber(n: number): string {
  if (n <= 10) return CN[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN[tens]}十${ones === 0 ? '' : CN[ones]}`;
}

// ---------------------------------------------------------------------------------------
// PRNG

class Rng {
  private a: number;

  constructor(seed: number) {
    this.a = seed >>> 0;
  }

  /** mulberry32: a float in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** `k` distinct elements, in random order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, k);
  }
}

function deptSeed(seed: number, d: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (d + 1), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------
// Sentences

function clause(r: Rng, dept: Dept, field: string): string {
  const scope = r.pick(SCOPES);
  const obj = r.pick(dept.objects);
  switch (r.int(0, 14)) {
    case 0:
      return `负责${scope}${field}的${r.pick(ACT)}工作`;
    case 1:
      return `${r.pick(PLAN)}${scope}${field}${r.pick(NOUN2)}`;
    case 2:
      return `${r.pick(DO)}${field}${r.pick(NOUN2)}，${r.pick(GUIDE)}${scope}${obj}${r.pick(ACT)}`;
    case 3:
      return `对${obj}实施${r.pick(ACT)}`;
    case 4:
      return `会同有关部门${r.pick(GUIDE)}${field}${r.pick(NOUN2)}`;
    case 5:
      return `承担${field}${r.pick(NOUN2)}的具体工作`;
    case 6:
      return `参与${field}相关${r.pick(NOUN2)}`;
    case 7: {
      const acts = r.sample(ACT, 2);
      return `负责${obj}的${acts[0]}和${acts[1]}`;
    }
    case 8:
      return `组织开展${field}${r.pick(CAMPAIGN)}，及时发现和处理有关问题`;
    case 9:
      return `受理${obj}${r.pick(APPLY)}申请，依法办理${r.pick(HANDLE)}`;
    case 10:
      return `建立健全${field}${r.pick(MECH)}`;
    case 11:
      return `做好${field}${r.pick(NOUN2)}的统计汇总和上报工作`;
    case 12:
      return `推动${field}高质量发展，培育壮大${obj}`;
    case 13:
      return `指导${scope}${field}${r.pick(NOUN2)}，加强${obj}${r.pick(ACT)}`;
    default:
      return `负责${scope}${obj}${r.pick(APPLY)}的初审和报送工作`;
  }
}

function dutyText(r: Rng, dept: Dept, field: string): string {
  const n = r.int(2, 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++)
    parts.push(clause(r, dept, i === 0 ? field : r.chance(0.7) ? field : r.pick(dept.fields)));
  return `${parts.join(r.chance(0.5) ? '；' : '，')}。`;
}

function itemText(r: Rng, dept: Dept, field: string): string {
  const t = clause(r, dept, field);
  return r.chance(0.25) ? `${t}。` : t;
}

function citation(r: Rng, dept: Dept, field: string): string {
  const year = r.int(2008, 2023);
  const no = r.int(1, 160);
  switch (r.int(0, 4)) {
    case 0:
      return `《中华人民共和国${r.pick(LAW_TOPICS)}法》`;
    case 1:
      return `《河北省${field}条例》`;
    case 2:
      return `《${r.pick(dept.objects)}管理办法》（${r.pick(MINISTRIES)}令${year}年第${r.int(1, 30)}号）`;
    case 3:
      return `《${dept.name}关于进一步加强${field}${r.pick(NOUN2)}的${r.pick(DOC_TYPES)}》（${dept.prefix}〔${year}〕${no}号）`;
    default: {
      const [issuer, prefix] = r.pick(ISSUERS);
      return `《${issuer}关于${r.pick(DO)}${field}${r.pick(NOUN2)}的${r.pick(DOC_TYPES)}》（${prefix}〔${year}〕${no}号）`;
    }
  }
}

/** The office that handles a field: field i belongs to office 1 + i mod (offices − 1); office 0 is the 办公室. */
function officeOfField(dept: Dept, field: string): string {
  const i = Math.max(0, dept.fields.indexOf(field));
  return dept.offices[1 + (i % (dept.offices.length - 1))]!;
}

function fieldsOfOffice(dept: Dept, officeIdx: number): readonly string[] {
  if (officeIdx === 0) return ADMIN_FIELDS;
  const mine = dept.fields.filter((_, i) => 1 + (i % (dept.offices.length - 1)) === officeIdx);
  return mine.length > 0 ? mine : [dept.fields[(officeIdx - 1) % dept.fields.length]!];
}

/** 负责 + clause, without doubling a clause that already starts with 负责. */
function asDuty(text: string): string {
  return text.startsWith('负责') ? text : `负责${text}`;
}

function writtenShort(r: Rng, d: Dept): string {
  return d.aliases && r.chance(0.3) ? r.pick(d.aliases) : d.short;
}

// ---------------------------------------------------------------------------------------
// The document

class Out {
  readonly lines: string[] = [];

  line(s: string): void {
    this.lines.push(s);
  }

  blank(): void {
    this.lines.push('');
  }

  row(cells: readonly string[]): void {
    for (const c of cells) this.lines.push(`\t${c}`);
    this.lines.push('');
  }
}

function emptyCounts(): CityCounts {
  return {
    departments: 0,
    offices: 0,
    duties: 0,
    workItems: 0,
    boundaryMatters: 0,
    shares: 0,
    legalBases: 0,
    regimes: 0,
    services: 0,
    traps: { splitRow: 0, spilledCell: 0, gluedRow: 0, repeatedItem: 0 },
  };
}

/** Splits a sentence at a comma or semicolon in its middle, for a cell that spills onto the next line. */
function splitForSpill(text: string): [string, string] | null {
  const at = [...text.matchAll(/[，；]/g)].map((m) => m.index).filter((i) => i > 2 && i < text.length - 3);
  if (at.length === 0) return null;
  const i = at[Math.floor(at.length / 2)]!;
  return [text.slice(0, i + 1), text.slice(i + 1)];
}

function writeDuties(out: Out, r: Rng, dept: Dept, d: number, counts: CityCounts): void {
  out.line(`${dept.name}${PART_SUFFIXES[0]}`);
  out.blank();
  out.row(HEADERS.duties);
  const nDuties = r.int(22, 28);
  const splitRowAt = d % 5 === 2 ? r.int(2, nDuties) : -1;
  const spillAt = d % 4 === 3 ? r.int(2, nDuties) : -1;
  const repeatAt = d % 8 === 5 ? r.int(nDuties - 8, nDuties) : -1;
  const firstItems: string[] = [];
  for (let k = 1; k <= nDuties; k++) {
    const officeIdx = (k - 1) % dept.offices.length;
    const office = dept.offices[officeIdx]!;
    const field = r.pick(fieldsOfOffice(dept, officeIdx));
    const duty = dutyText(r, dept, field);
    const nItems = r.int(1, 9);
    counts.duties++;
    for (let j = 0; j < nItems; j++) {
      let item = nItems === 1 && r.chance(0.5) ? duty.replace(/。$/, '') : itemText(r, dept, field);
      if (k === repeatAt && j === nItems - 1 && firstItems.length > 0) {
        item = firstItems[0]!;
        counts.traps.repeatedItem++;
      }
      if (j === 0) firstItems.push(item);
      let officeCell = office;
      if (r.chance(0.08)) {
        const other = r.pick(dept.offices);
        if (other !== office) officeCell = `${office}、${other}`;
      } else if (d === 0 && r.chance(0.05)) {
        officeCell = `${office}、各业务科室`;
      }
      const remark = r.chance(0.04) ? r.pick(REMARKS) : '';
      counts.workItems++;
      const seq = j === 0 ? String(k) : '';
      const dutyCell = j === 0 ? duty : '';
      if (k === splitRowAt && j === 0) {
        // A stray blank line splits the row between the duty and its first work item.
        out.line(`\t${seq}`);
        out.line(`\t${dutyCell}`);
        out.blank();
        out.row([item, officeCell, remark]);
        counts.traps.splitRow++;
        continue;
      }
      const spill = k === spillAt && j === nItems - 1 ? splitForSpill(item) : null;
      if (spill) {
        // The work item's text runs on into a line without a TAB.
        out.line(`\t${seq}`);
        out.line(`\t${dutyCell}`);
        out.line(`\t${spill[0]}`);
        out.line(spill[1]);
        out.row([officeCell, remark]);
        counts.traps.spilledCell++;
        continue;
      }
      out.row([seq, dutyCell, item, officeCell, remark]);
    }
  }
  // The seed's table ends with an empty paragraph exported as a lone cell.
  out.line('\t');
  out.blank();
  out.blank();
}

function writeMatters(out: Out, r: Rng, dept: Dept, d: number, counts: CityCounts): void {
  out.line(`${dept.name}${PART_SUFFIXES[1]}`);
  out.blank();
  out.row(HEADERS.matters);
  const nMatters = r.int(8, 12);
  const glueAt = d % 3 === 0 ? r.int(3, nMatters) : -1;
  const spillAt = d % 4 === 1 ? r.int(2, nMatters) : -1;
  // Partners come from all 40 departments whatever `departments` is, as the seed cites
  // departments whose own lists are not in the document.
  const others = DEPARTMENTS.filter((x) => x !== dept);
  const names = new Set<string>();
  for (let m = 1; m <= nMatters; m++) {
    const field = r.pick(dept.fields);
    let name = '';
    for (let tries = 0; tries < 20 && (name === '' || names.has(name)); tries++) {
      name = r.chance(0.5) ? `${field}${r.pick(NOUN2)}` : `${r.pick(dept.objects)}${r.pick(ACT)}`;
    }
    names.add(name);
    const nShares = r.int(2, 5);
    const partners = r.sample(others, nShares - 1);
    // Usually the department itself comes first, as in the seed; sometimes another leads.
    const depts = r.chance(0.8) ? [dept, ...partners] : [partners[0]!, dept, ...partners.slice(1)];
    const nCitations = r.int(1, 3);
    const cites: string[] = [];
    for (let i = 0; i < nCitations; i++) cites.push(citation(r, dept, field));
    const basis = nCitations === 1 ? cites[0]! : cites.map((c, i) => `${i + 1}.${c}`).join('；');
    const [a, b] = [depts[0]!, depts[1]!];
    const caseText = `某${r.pick(dept.objects)}在${r.pick(a.fields)}过程中${r.pick(PROBLEMS)}，${writtenShort(r, a)}依据职责${clause(r, a, r.pick(a.fields))}；${writtenShort(r, b)}${asDuty(clause(r, b, r.pick(b.fields)))}，形成监管合力。`;
    counts.boundaryMatters++;
    counts.legalBases += nCitations;
    depts.forEach((sd, i) => {
      counts.shares++;
      const share = `${clause(r, sd, r.pick(sd.fields))}${r.chance(0.4) ? `；${clause(r, sd, r.pick(sd.fields))}` : ''}`;
      const who = writtenShort(r, sd);
      const isLast = i === depts.length - 1;
      if (i === 0) {
        if (m === glueAt) {
          // Glued onto the previous row (which lost its last two cells), without its 序号.
          out.line(` \t${name}`);
          out.row([who, share, basis, r.chance(0.8) ? caseText : '']);
          counts.traps.gluedRow++;
        } else {
          out.row([String(m), name, who, share, basis, r.chance(0.8) ? caseText : '']);
        }
        return;
      }
      if (isLast && m + 1 === glueAt) {
        out.line('\t');
        out.line('\t');
        out.line(`\t${who}`);
        out.line(`\t${share}`);
        return;
      }
      const spill = m === spillAt && i === 1 ? splitForSpill(share) : null;
      if (spill) {
        out.line('\t');
        out.line('\t');
        out.line(`\t${who}`);
        out.line(`\t${spill[0]}`);
        out.line(spill[1]);
        out.row(['', '']);
        counts.traps.spilledCell++;
        return;
      }
      out.row(['', '', who, share, '', '']);
    });
  }
  out.blank();
}

function paragraph(out: Out, text: string): void {
  out.line(`\u3000\u3000${text}`);
  out.blank();
}

function enumerate(out: Out, texts: readonly string[]): void {
  texts.forEach((t, i) => {
    paragraph(out, `（${cnNumber(i + 1)}）${t}`);
  });
}

function writeRegimes(out: Out, r: Rng, dept: Dept, counts: CityCounts): void {
  out.line(`${dept.name}${PART_SUFFIXES[2]}`);
  out.blank();
  const nRegimes = r.int(8, 15);
  const titles = new Set<string>();
  const laws = r.sample(LAW_TOPICS, 3);
  for (let g = 1; g <= nRegimes; g++) {
    let obj = '';
    let field = '';
    let title = '';
    for (let tries = 0; tries < 20 && (title === '' || titles.has(title)); tries++) {
      obj = r.pick(dept.objects);
      field = r.pick(dept.fields);
      title = r.pick([
        `对${obj}的监管`,
        `${obj}监督管理`,
        `${field}事中事后监管`,
        `对${field}${r.pick(NOUN2)}的监督检查`,
        `${obj}${r.pick(TITLE_ASPECTS)}监管`,
      ]);
    }
    titles.add(title);
    counts.regimes++;
    const indent = r.chance(0.5) ? '    ' : '';
    out.line(`${r.chance(0.3) ? ' ' : ''}${cnNumber(g)}、${title}`);
    out.blank();
    if (r.chance(0.6)) {
      out.line(
        `    为加强对${obj}的监督管理，规范${field}秩序，${r.pick(['特制定以下制度', '特制定如下监管制度', '结合我市实际，制定本制度'])}。`,
      );
      out.blank();
    }
    const license = r.pick(LICENSES);
    const heading = (k: number) => {
      out.line(`${indent}${cnNumber(k + 1)}、${SECTION_HEADINGS[k]}`);
      out.blank();
    };

    heading(0);
    paragraph(out, `依法取得${license}的${obj}。`);
    if (r.chance(0.4))
      paragraph(
        out,
        `${r.pick(SCOPES.filter((s) => s !== ''))}从事${field}活动的${r.pick(dept.objects)}及其分支机构。`,
      );

    heading(1);
    if (r.chance(0.5)) paragraph(out, `对${obj}的监督检查内容主要包括：`);
    const conds = r.sample(CONDITIONS, r.int(2, 6)).map((c) => `${obj}是否${c}；`);
    enumerate(out, [...conds, '其他法律、法规规定的检查事项。']);

    heading(2);
    const pct = r.pick([5, 10, 15, 20]);
    enumerate(
      out,
      r.sample(
        [
          '日常监督检查；',
          `随机抽取${obj}进行抽查，每年原则上检查一到两次，抽查比例不少于${pct}%；`,
          '根据群众投诉举报开展检查，如有举报投诉，随时进行检查；',
          '专项检查：针对上级交办事项开展专项监督检查，及时向上级主管部门报告；',
          `要求${obj}定期报送${field}情况和相关信息；`,
          `查阅${license}文件和资料，结合实地检查情况进行评查；`,
        ],
        r.int(2, 4),
      ),
    );

    heading(3);
    enumerate(
      out,
      r.sample(
        [
          `建立定期检查及不定期抽查制度，及时发现和处理${field}中的有关问题；`,
          `建立重大事件信息通报机制和风险预警机制，对潜在风险加大的${obj}给予重点关注；`,
          `对核查不合格的${obj}，责令限期整改，并将核查情况通报有关部门；`,
          '发挥行业协会监管作用，委托行业协会等中介组织协助了解有关情况；',
          '建立与有关部门的互动机制，互相通报日常检查监督信息；',
          '对检查中发现的问题建立台账，实行销号管理；',
        ],
        r.int(2, 4),
      ),
    );

    heading(4);
    const steps = [
      '确定监督检查的对象、内容和工作方案；',
      '组织实施监督检查，委派两名以上工作人员进行；',
      '制作现场检查书面记录；',
      '制作监督检查报告；',
      '将监督检查结果、处理意见建议通知被检查者；',
      '督促落实整改；',
      '资料归档。',
    ];
    const nSteps = r.int(3, 7);
    enumerate(out, [...steps.slice(0, nSteps - 1), steps[steps.length - 1]!]);

    heading(5);
    enumerate(
      out,
      [
        `发现${obj}存在违反《中华人民共和国${r.pick(laws)}法》等规定行为的，由${dept.short}责令限期整改，并依法予以处罚；构成犯罪的，移送司法机关依法追究刑事责任。`,
        `经整改仍不合格的，依法撤销其${license}。`,
        '工作人员在监督检查中滥用职权、玩忽职守、徇私舞弊的，依法给予处分。',
      ].slice(0, r.int(1, 3)),
    );
  }
}

function writeServices(out: Out, r: Rng, dept: Dept, counts: CityCounts): void {
  out.line(`${dept.name}${PART_SUFFIXES[3]}`);
  out.blank();
  out.row(HEADERS.services);
  const phones = new Map<string, string>();
  const phoneOf = (office: string): string => {
    let p = phones.get(office);
    if (!p) {
      p = `2${String(r.int(0, 999_999)).padStart(6, '0')}`;
      phones.set(office, p);
    }
    return p;
  };
  const nServices = r.int(10, 20);
  const names = new Set<string>();
  for (let s = 1; s <= nServices; s++) {
    let name = '';
    let field = '';
    let obj = '';
    for (let tries = 0; tries < 20 && (name === '' || names.has(name)); tries++) {
      field = r.pick(dept.fields);
      obj = r.pick(dept.objects);
      name = `${r.chance(0.6) ? field : obj}${r.pick(SERVICE_KINDS)}`;
    }
    names.add(name);
    const content = r.pick([
      `为${r.pick(SCOPES)}${obj}提供${field}政策解读和业务咨询服务。`,
      `宣贯${field}相关政策，让${obj}相关人员能够在较短时间内掌握政策的申报要点以及年度政策的新变化、新要求。`,
      `接受企业、群众提出的${field}方面的咨询、投诉，按规定予以登记并及时处理。`,
      `组织${obj}参加${field}专题培训，${clause(r, dept, field)}。`,
      `${clause(r, dept, field)}，更好地服务基层、服务企业、服务群众。`,
    ]);
    const office = officeOfField(dept, field);
    let officeCell = office;
    let phoneCell = phoneOf(office);
    if (r.chance(0.1)) {
      const other = officeOfField(dept, r.pick(dept.fields));
      if (other !== office) {
        officeCell = `${office}、${other}`;
        phoneCell = `${phoneOf(office)}、${phoneOf(other)}`;
      }
    }
    counts.services++;
    out.row([String(s), name, content, officeCell, phoneCell]);
    // The seed sometimes leaves extra blank lines between service rows.
    if (r.chance(0.15)) {
      out.blank();
      out.blank();
    }
  }
}

export function generateCity(opts: GenerateCityOptions = {}): GeneratedCity {
  const n = opts.departments ?? DEPARTMENTS.length;
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(n) || n < 1 || n > DEPARTMENTS.length) {
    throw new RangeError(`departments must be an integer from 1 to ${DEPARTMENTS.length}, got ${n}`);
  }
  const depts = DEPARTMENTS.slice(0, n);
  const out = new Out();
  const counts = emptyCounts();
  depts.forEach((dept, d) => {
    const r = new Rng(deptSeed(seed, d));
    counts.departments++;
    counts.offices += dept.offices.length;
    out.blank();
    writeDuties(out, r, dept, d, counts);
    writeMatters(out, r, dept, d, counts);
    writeRegimes(out, r, dept, counts);
    writeServices(out, r, dept, counts);
    out.blank();
  });
  return { text: `${out.lines.join('\n')}\n`, counts };
}

export function generateCityDocument(opts?: GenerateCityOptions): string {
  return generateCity(opts).text;
}

function main(argv: string[]): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const target = resolve(argv[0] ?? resolve(here, '..', '.out', 'city.txt'));
  const t0 = performance.now();
  const { text, counts } = generateCity();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text, 'utf8');
  const ms = Math.round(performance.now() - t0);
  const bytes = Buffer.byteLength(text, 'utf8');
  console.log(
    `wrote ${target} (${(bytes / 1024 / 1024).toFixed(2)} MiB, ${text.split('\n').length - 1} lines, ${ms} ms)`,
  );
  console.log(`departments ${counts.departments}`);
  console.log(`offices ${counts.offices}`);
  console.log(`duties ${counts.duties}`);
  console.log(`work items ${counts.workItems}`);
  console.log(`matters ${counts.boundaryMatters}`);
  console.log(`shares ${counts.shares}`);
  console.log(`legal bases ${counts.legalBases}`);
  console.log(`regimes ${counts.regimes}`);
  console.log(`services ${counts.services}`);
  const t = counts.traps;
  console.log(
    `traps: split rows ${t.splitRow}, spilled cells ${t.spilledCell}, glued rows ${t.gluedRow}, repeated items ${t.repeatedItem}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
