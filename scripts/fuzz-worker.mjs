// The worker thread of scripts/fuzz.ts: TypeScript through tsx, then the worker half of fuzz.ts.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz.ts');
