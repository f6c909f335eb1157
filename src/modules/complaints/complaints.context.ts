/**
 * What every complaints route shares: the clock (tests fix it; the working-day rules count China
 * dates of it) and the per-address limits of the public forms.
 */

export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface ComplaintsContext {
  now: () => Date;
  limits: {
    /** Filing on the public form (and Open311 POST), per address. */
    file: RateLimit;
    /** Following a ticket with its code and secret, and rating it, per address. */
    track: RateLimit;
  };
}

export const DEFAULT_LIMITS: ComplaintsContext['limits'] = {
  file: { max: 5, windowMs: 15 * 60 * 1000 },
  track: { max: 30, windowMs: 15 * 60 * 1000 },
};

export interface ComplaintsOptions {
  now?: () => Date;
  limits?: Partial<ComplaintsContext['limits']>;
}

export function contextOf(options: ComplaintsOptions): ComplaintsContext {
  return {
    now: options.now ?? (() => new Date()),
    limits: { ...DEFAULT_LIMITS, ...(options.limits ?? {}) },
  };
}
