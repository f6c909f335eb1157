import { addWorkingDays, CalendarCoverageError } from '../../lib/workdays.ts';

/**
 * The kinds of ticket and their clocks, on the statutory working-day calendar (lib/workdays.ts), as
 * data with their source. A deployment corrects a figure here, not in the code. `verified` says how
 * the source was checked: `text` — the article's words were read in a published copy (URL given);
 * `secondary` — a government or practitioner page states the rule (URL given), the article number is
 * as that page gives it; `default` — no statutory figure was found, the value is this system's
 * default and says so on the pages.
 */

export const KINDS = ['report', 'complaint', 'appeal', 'enquiry'] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_NAME: Record<Kind, string> = {
  report: '举报',
  complaint: '投诉',
  appeal: '申诉',
  enquiry: '咨询',
};

/** What each kind means, for the form (the definitions of 暂行办法 art. 2–3 for 投诉 and 举报). */
export const KIND_HINT: Record<Kind, string> = {
  report: '反映经营者涉嫌违法的线索，可以匿名',
  complaint: '与经营者发生消费或经营纠纷，请求处理',
  appeal: '对商务部门的处理结果或行政行为有异议',
  enquiry: '咨询商务领域的政策、办事程序',
};

export interface LegalSource {
  /** The document, with its number where it has one. */
  law: string;
  /** Article and the words that state the figure, as read. */
  article: string;
  verified: 'text' | 'secondary' | 'default';
  /** Where it was read. */
  url?: string;
}

export interface Clock {
  /** Working days. */
  days: number;
  /** The day the count starts from (that day itself is day 0). */
  from: 'received' | 'assigned';
  source: LegalSource;
}

export interface KindRules {
  /** 受理: decide whether to accept (and route) the ticket. */
  accept: Clock;
  /** 办结/答复: the reply is due. */
  reply: Clock;
  /** Extension of the reply clock: at most `maxDays` working days in at most `maxTimes` steps, with a reason. */
  extension: { maxDays: number; maxTimes: number; source: LegalSource };
}

const TWELVE312_ACCEPT: Clock = {
  days: 7,
  from: 'received',
  source: {
    law: '《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号，2022年第61号令修改）；商务12312：濮阳市商务局《12312举报投诉、咨询须知》',
    article:
      '第十四条：“应当自收到投诉之日起七个工作日内作出受理或者不予受理的决定，并告知投诉人”；12312须知：“自举报（咨询）登记之日起七个工作日内，经初步审查”作出受理或不予受理，受理的“转至商务局相关部门处理”',
    verified: 'secondary',
    url: 'http://pycom1234.www8.tongdanet.com/channel.asp?id=34',
  },
};

export const KIND_RULES: Record<Kind, KindRules> = {
  complaint: {
    accept: TWELVE312_ACCEPT,
    reply: {
      days: 45,
      from: 'assigned',
      source: {
        law: '《市场监督管理投诉举报处理暂行办法》',
        article: '第二十一条：“自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议的”终止调解',
        verified: 'secondary',
        url: 'https://xiezuofangchengshi.com/doc/62764.html',
      },
    },
    extension: {
      maxDays: 0,
      maxTimes: 0,
      source: {
        law: '《市场监督管理投诉举报处理暂行办法》',
        article: '第二十一条的四十五个工作日是终止调解的期限，办法未规定延长',
        verified: 'secondary',
        url: 'https://xiezuofangchengshi.com/doc/62764.html',
      },
    },
  },
  report: {
    accept: TWELVE312_ACCEPT,
    reply: {
      days: 15,
      from: 'received',
      source: {
        law: '《市场监督管理行政处罚程序规定》（2021年修订）',
        article:
          '第十八条：对通过举报等途径发现的违法行为线索，“应当自发现线索或者收到材料之日起十五个工作日内予以核查”，由负责人决定是否立案',
        verified: 'secondary',
        url: 'https://xiezuofangchengshi.com/doc/62764.html',
      },
    },
    extension: {
      maxDays: 15,
      maxTimes: 1,
      source: {
        law: '《市场监督管理行政处罚程序规定》（2021年修订）',
        article: '第十八条：“特殊情况下，经市场监督管理部门负责人批准，可以延长十五个工作日”',
        verified: 'secondary',
        url: 'https://xiezuofangchengshi.com/doc/62764.html',
      },
    },
  },
  appeal: {
    accept: TWELVE312_ACCEPT,
    reply: {
      days: 15,
      from: 'assigned',
      source: {
        law: '本系统默认值',
        article: '未找到商务领域申诉答复的法定时限；按举报核查期限设为15个工作日，可在此处修改',
        verified: 'default',
      },
    },
    extension: {
      maxDays: 15,
      maxTimes: 1,
      source: { law: '本系统默认值', article: '与举报核查的延长相同', verified: 'default' },
    },
  },
  enquiry: {
    accept: TWELVE312_ACCEPT,
    reply: {
      days: 5,
      from: 'assigned',
      source: {
        law: '12345热线办理规范（地方实践）',
        article: '衡阳市城乡规划局《12345政府服务热线办理工作实施办法》：“办理时限不超过5个工作日”',
        verified: 'secondary',
        url: 'https://www.hengyang.gov.cn/zygh/xxgk/zcwjjjd/20200205/i530060.html',
      },
    },
    extension: {
      maxDays: 10,
      maxTimes: 1,
      source: {
        law: '12345热线办理规范（地方实践）',
        article: '山东省12345热线规则：可延期，最长10个工作日（docs/domain.md 所列，未再核对原文）',
        verified: 'default',
      },
    },
  },
};

/**
 * The receiving office may return a mis-routed ticket within this many working days of receiving
 * it, with a reason that cites the lists; later the return is refused.
 */
export const RETURN_WINDOW: Clock = {
  days: 2,
  from: 'assigned',
  source: {
    law: '12345热线工单退回规则（山东省12345热线管理规则；国务院办公厅2025年关于12345热线的意见要求建立异议处理机制）',
    article: '派错的工单在2个工作日内说明理由退回（docs/domain.md 所列，未再核对原文）',
    verified: 'default',
  },
};

/** A ticket rated 不满意 (with a reason) reopens at most this many times; then the rating stands. */
export const REOPEN_LIMIT = 1;

/** Days a reply clock cannot reach because the holiday schedule is not yet published. */
export const UNKNOWN_DUE = null;

/**
 * The due date `clock.days` working days after `from`, or null when the holiday schedule of the
 * year it falls in is not published yet (the page says so instead of guessing).
 */
export function dueDate(from: string, days: number): string | null {
  try {
    return addWorkingDays(from, days);
  } catch (e) {
    if (e instanceof CalendarCoverageError) return UNKNOWN_DUE;
    throw e;
  }
}

/** A source as one line for the pages: the law, the article, and how it was checked. */
export function sourceLine(s: LegalSource): string {
  const how =
    s.verified === 'default' ? '（系统默认值，可配置）' : s.verified === 'secondary' ? '（据公开资料）' : '';
  return `${s.law}${s.article ? `，${s.article}` : ''}${how}`;
}
