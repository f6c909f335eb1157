import type { DbOrTx, Tx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import { HOTLINES, telHref } from '../../views/portal/phone.ts';
import { appendAudit } from '../audit/index.ts';
import { actorOf, type SessionUser } from '../auth/index.ts';
import { contactAbilities } from './contact.policy.ts';
import {
  bureauDepartment,
  type ContactEntryRow,
  departmentsExcept,
  findEntry,
  insertEntry,
  listEntries,
  officesOf,
  servicePhones,
  updateEntry,
} from './contact.repo.ts';
import { ContactEntryInput, type Directory, type PhoneOut } from './contact.schema.ts';

/**
 * The contact directory (通讯录): the bureau's address and office hours, every office's phone, the
 * other departments' phones and addresses, and the hotlines. The offices' phones come from part 4
 * of the document (公共服务事项登记表: each service's 承办机构 and 联系电话, paired in their published
 * order), each with the service it is read from; what the document does not give — the bureau's
 * address and hours, the phones of offices that run no public service, other departments' contacts
 * — staff keep as entries here (the registry's change sets carry no office phones), each with its
 * source and an audit entry.
 */

const STAFF_SOURCE = '工作人员登记';

const phoneOut = (phone: string, source: string, sourceUrl: string | null = null): PhoneOut => ({
  phone,
  tel: telHref(phone),
  source,
  sourceUrl,
});

/** Phones of an entry as staff typed them ("2112826、2112827" → two). */
const entryPhones = (e: ContactEntryRow | undefined): PhoneOut[] =>
  (e?.phone ?? '')
    .split(/[、,，]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => phoneOut(p, e?.source ? `${STAFF_SOURCE}（${e.source}）` : STAFF_SOURCE));

const maintained = (e: ContactEntryRow | undefined) => ({
  address: e?.address ?? null,
  hours: e?.hours ?? null,
  note: e?.note ?? null,
  source: e?.source ?? null,
  updatedAt: e?.updated_at ?? null,
});

/** Each office's phones from part 4: a service's offices and phones paired in order, one phone shared by all. */
async function partFourPhones(db: DbOrTx): Promise<Map<number, PhoneOut[]>> {
  const out = new Map<number, PhoneOut[]>();
  for (const s of await servicePhones(db)) {
    s.officeIds.forEach((officeId, k) => {
      // Two offices and two phones (“2127065、2990862”): each its own; otherwise every phone for each.
      const phones = s.phones.length === s.officeIds.length ? [s.phones[k]!] : s.phones;
      const list = out.get(officeId) ?? [];
      for (const p of phones) {
        if (list.some((x) => x.phone === p)) continue;
        const line = s.line_start ? `，原文第${s.line_start}行` : '';
        list.push(phoneOut(p, `公共服务事项登记表第${s.seq}项“${s.name}”${line}`, `/services/${s.id}`));
      }
      out.set(officeId, list);
    });
  }
  return out;
}

/** The 12312 line as part 4 publishes it (受理商务举报、投诉、申诉、咨询), with its service. */
async function commerceHotline(db: DbOrTx): Promise<PhoneOut> {
  const s = (await servicePhones(db)).find((x) => x.phones.includes(HOTLINES.commerce));
  return s
    ? phoneOut(
        HOTLINES.commerce,
        `公共服务事项登记表第${s.seq}项“${s.name}”${s.line_start ? `，原文第${s.line_start}行` : ''}`,
        `/services/${s.id}`,
      )
    : phoneOut(HOTLINES.commerce, '全国12312商务举报投诉服务热线');
}

export async function loadDirectory(db: DbOrTx): Promise<Directory> {
  const bureau = await bureauDepartment(db);
  const [entries, offices, departments, phones, hotline] = await Promise.all([
    listEntries(db),
    bureau ? officesOf(db, bureau.id) : [],
    departmentsExcept(db, bureau?.id ?? null),
    partFourPhones(db),
    commerceHotline(db),
  ]);
  const entry = (kind: string, id: number | null) =>
    entries.find(
      (e) =>
        e.kind === kind &&
        (kind === 'office' ? e.office_id === id : kind === 'department' ? e.department_id === id : true),
    );
  const bureauEntry = entry('bureau', null);
  return {
    bureau: {
      departmentId: bureau?.id ?? null,
      name: bureau?.name ?? '本局',
      phones: entryPhones(bureauEntry),
      ...maintained(bureauEntry),
    },
    hotlines: [
      { ...hotline, name: '商务举报投诉热线', use: '商务领域的举报、投诉、申诉和咨询' },
      {
        ...phoneOut(HOTLINES.general, '全国统一政务服务便民热线'),
        name: '政务服务便民热线',
        use: '不属于商务部门的事项，或不知道找哪个部门',
      },
    ],
    offices: offices.map((o) => {
      const e = entry('office', o.id);
      return {
        id: o.id,
        name: o.name,
        phones: [...(phones.get(o.id) ?? []), ...entryPhones(e)],
        ...maintained(e),
      };
    }),
    departments: departments.map((d) => {
      const e = entry('department', d.id);
      return { id: d.id, name: d.name, phones: entryPhones(e), ...maintained(e) };
    }),
  };
}

/** How to reach whoever handles a matter: an office of the bureau, the bureau, or another department. */
export interface ContactCard {
  name: string;
  phones: PhoneOut[];
  address: string | null;
  hours: string | null;
  /** Set for the bureau's own matters: 12312 is the line for commerce complaints. */
  commerceHotline: PhoneOut | null;
}

export async function contactFor(
  db: DbOrTx,
  who: { departmentId: number | null; officeId: number | null },
): Promise<ContactCard | null> {
  if (who.departmentId === null && who.officeId === null) return null;
  const d = await loadDirectory(db);
  const hotline = d.hotlines[0]!;
  const own = who.departmentId === null || who.departmentId === d.bureau.departmentId;
  if (own) {
    const office = who.officeId === null ? undefined : d.offices.find((o) => o.id === who.officeId);
    return {
      name: office ? `${d.bureau.name} ${office.name}` : d.bureau.name,
      phones: office && office.phones.length > 0 ? office.phones : d.bureau.phones,
      address: office?.address ?? d.bureau.address,
      hours: office?.hours ?? d.bureau.hours,
      commerceHotline: hotline,
    };
  }
  const dep = d.departments.find((x) => x.id === who.departmentId);
  if (!dep) return null;
  return {
    name: dep.name,
    phones: dep.phones,
    address: dep.address,
    hours: dep.hours,
    commerceHotline: null,
  };
}

/** Saves (creates or replaces) the entry of one subject, with an audit entry of before and after. */
export async function saveContactEntry(tx: Tx, user: SessionUser, raw: ContactEntryInput): Promise<number> {
  contactAbilities.assertRole('maintain', user);
  const input = parseInput(ContactEntryInput, raw);
  const officeId = input.kind === 'office' ? input.officeId : null;
  const departmentId = input.kind === 'department' ? input.departmentId : null;
  contactAbilities.assert('maintain', user, { kind: input.kind, officeId });
  const bureau = await bureauDepartment(tx);
  if (input.kind === 'office') {
    const o = officeId
      ? await tx
          .selectFrom('offices')
          .select(['id', 'department_id'])
          .where('id', '=', officeId)
          .executeTakeFirst()
      : undefined;
    if (!o || o.department_id !== bureau?.id) throw notFound('这个科室');
  }
  if (input.kind === 'department') {
    const d = departmentId
      ? await tx.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst()
      : undefined;
    if (!d || d.id === bureau?.id) throw notFound('这个部门');
  }
  const values = {
    phone: input.phone,
    address: input.address,
    hours: input.hours,
    note: input.note,
    source: input.source,
    updated_by: user.id,
    updated_at: nowIso(),
  };
  if (Object.values({ ...values, updated_by: null, updated_at: null }).every((v) => v === null)) {
    throw new AppError(400, 'empty_entry', '请至少填写电话、地址、办公时间或说明中的一项');
  }
  const existing = await findEntry(tx, input.kind, officeId, departmentId);
  let id: number;
  if (existing) {
    id = existing.id;
    await updateEntry(tx, id, values);
  } else {
    id = await insertEntry(tx, {
      ...values,
      kind: input.kind,
      office_id: officeId,
      department_id: departmentId,
    });
  }
  const shown = ({ phone, address, hours, note, source }: typeof values | ContactEntryRow) => ({
    phone,
    address,
    hours,
    note,
    source,
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: existing ? 'update' : 'create',
    entity: 'contact_entry',
    entityId: id,
    before: existing ? { kind: existing.kind, ...shown(existing) } : undefined,
    after: { kind: input.kind, officeId, departmentId, ...shown(values) },
  });
  return id;
}
