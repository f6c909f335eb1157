/** DrawError: a draw that cannot be committed or run, with stable codes and zh/en messages. */

export type DrawErrorCode =
  | 'invalid-parameters'
  | 'invalid-population'
  | 'invalid-inspectors'
  | 'invalid-seed'
  | 'invalid-witness'
  | 'invalid-exclusions'
  | 'too-early'
  | 'commitment-mismatch'
  | 'insufficient-inspectors';

/** A draw that cannot be committed or run; the message says what to fix, in Chinese and English. */
export class DrawError extends Error {
  readonly code: DrawErrorCode;
  readonly messageZh: string;
  readonly messageEn: string;
  /** The entity concerned, when there is one. */
  readonly uscc: string | null;

  constructor(code: DrawErrorCode, messageZh: string, messageEn: string, uscc: string | null = null) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'DrawError';
    this.code = code;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
    this.uscc = uscc;
  }
}
