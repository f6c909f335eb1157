/** Types of public/draw-verify.js (the browser verifier), for the tests that run it under Node. */

export interface BrowserVerification {
  match: boolean;
  problems: string[];
  wellFormed: boolean;
  /** Which SHA-256 ran: 'crypto.subtle' or 'JavaScript SHA-256'. */
  hashing: string;
}

export interface BrowserVerifyOptions {
  /** The commitHash or commit text published before the draw. */
  commitment?: string;
  /** The witness-source registry: id, reference pattern, format. */
  sources?: ReadonlyArray<{ id: string; pattern: string; format: string }>;
  /** Use the JavaScript SHA-256 even where crypto.subtle exists. */
  forceFallback?: boolean;
}

export function verifyDrawText(text: string, options?: BrowserVerifyOptions): Promise<BrowserVerification>;

export function normaliseWitnessValue(
  format: string,
  reference: string,
  typed: string,
): { ok: true; value: string } | { ok: false; zh: string; en: string };

/** Hex SHA-256 of the bytes, through crypto.subtle or (forceFallback) the JavaScript one. */
export function digestHex(data: Uint8Array, forceFallback?: boolean): Promise<string>;
