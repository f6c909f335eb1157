import type { Tx } from '../../../db/database.ts';
import { NO_PROVENANCE, nextServiceSeq, officeText, setOfficeLinks } from './common.ts';

/** Writes of the public_services table (公共服务事项), its office links and phones. */

export interface ServiceValues {
  name: string;
  content: string;
  officeIds: number[];
  phones: string[];
}

const LINKS = { table: 'service_offices', owner: 'service_id' } as const;

export async function insertService(tx: Tx, departmentId: number, s: ServiceValues): Promise<number> {
  const row = await tx
    .insertInto('public_services')
    .values({
      department_id: departmentId,
      seq: await nextServiceSeq(tx, departmentId),
      name: s.name,
      content: s.content,
      office_text: await officeText(tx, s.officeIds),
      phone_text: s.phones.join('、'),
      ...NO_PROVENANCE,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setLinks(tx, row.id, s);
  return row.id;
}

export async function updateService(tx: Tx, id: number, s: ServiceValues): Promise<void> {
  await tx
    .updateTable('public_services')
    .set({
      name: s.name,
      content: s.content,
      office_text: await officeText(tx, s.officeIds),
      phone_text: s.phones.join('、'),
    })
    .where('id', '=', id)
    .execute();
  await setLinks(tx, id, s);
}

export async function deleteService(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('public_services').where('id', '=', id).execute();
}

async function setLinks(tx: Tx, id: number, s: ServiceValues): Promise<void> {
  await setOfficeLinks(tx, LINKS, id, s.officeIds);
  await tx.deleteFrom('service_phones').where('service_id', '=', id).execute();
  if (s.phones.length)
    await tx
      .insertInto('service_phones')
      .values(s.phones.map((phone, i) => ({ service_id: id, position: i + 1, phone })))
      .execute();
}
