/** The search module's public surface: other modules import only from here. */
export { NO_MATCH, resolveQuestion, searchAndResolve } from './resolve.service.ts';
export { searchApi } from './search.api.ts';
export { ensureSearchIndex, rebuildSearchIndex } from './search.index.ts';
export { setSearchCacheSize } from './search.model.ts';
export { searchPages } from './search.pages.tsx';
export { searchRegistry } from './search.service.ts';
export type {
  ResolveAnswer,
  ResolveConfidence,
  ResolveResult,
  SearchHit,
  SearchKind,
  SearchResult,
} from './search.types.ts';
