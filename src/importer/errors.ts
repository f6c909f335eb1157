/**
 * A document that cannot be imported. Every message names the place (line or byte offset)
 * and says what is wrong in Chinese and in English.
 */
export class ImportError extends Error {
  readonly code: string;
  readonly line: number | null;
  readonly messageZh: string;
  readonly messageEn: string;

  constructor(code: string, line: number | null, messageZh: string, messageEn: string) {
    const where = line === null ? '' : `第 ${line} 行：`;
    const whereEn = line === null ? '' : `line ${line}: `;
    super(`${where}${messageZh} / ${whereEn}${messageEn}`);
    this.name = 'ImportError';
    this.code = code;
    this.line = line;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
  }
}
