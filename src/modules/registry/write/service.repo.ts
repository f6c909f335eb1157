import type { Tx } from '../../../db/database.ts';
import { NO_PROVENANCE, nextServiceSeq, officeText, SERVICE_OFFICES, setOfficeLinks } from './common.ts';

/** Writes of the public_services table (公共服务事项), its office links and phones. */

export interface ServiceValues {
  name: string;
  content: string;
  officeIds: number[];
  phones: string[];
}

/** What an insert and an update both write: the service and its denormalised office and phone texts. */
async function columns(tx: Tx, s: ServiceValues) {
  return {
    name: s.name,
    content: s.content,
    office_text: await officeText(tx, s.officeIds),
    phone_text: s.phones.join('、'),
  };
}

export async function insertService(tx: Tx, departmentId: number, s: ServiceValues): Promise<number> {
  const row = await tx
    .insertInto('public_services')
    .values({
      department_id: departmentId,
      seq: await nextServiceSeq(tx, departmentId),
      ...(await columns(tx, s)),
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
    .set(await columns(tx, s))
    .where('id', '=', id)
    .execute();
  await setLinks(tx, id, s);
}

export async function deleteService(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('public_services').where('id', '=', id).execute();
}

async function setLinks(tx: Tx, id: number, s: ServiceValues): Promise<void> {
  await setOfficeLinks(tx, SERVICE_OFFICES, id, s.officeIds);
  await tx.deleteFrom('service_phones').where('service_id', '=', id).execute();
  if (s.phones.length)
    await tx
      .insertInto('service_phones')
      .values(s.phones.map((phone, i) => ({ service_id: id, position: i + 1, phone })))
      .execute();
}
