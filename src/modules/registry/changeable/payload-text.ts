import { z } from 'zod';

/** Text fields of change payloads, with Chinese messages. */
export const requiredText = (label: string, max = 2000) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 个字符`);

export const officeIdList = (message: string) => z.array(z.coerce.number().int().positive()).min(1, message);
