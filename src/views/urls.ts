/** Public portal URLs: one place, used by pages, search results and the resolver. */
export const urls = {
  home: () => '/',
  search: (q: string) => `/search?q=${encodeURIComponent(q)}`,
  department: (id: number) => `/departments/${id}`,
  office: (id: number) => `/offices/${id}`,
  duties: () => '/duties',
  duty: (id: number) => `/duties/${id}`,
  workItem: (dutyId: number, id: number) => `/duties/${dutyId}#item-${id}`,
  boundaries: () => '/boundaries',
  matter: (id: number) => `/boundaries/${id}`,
  share: (matterId: number, id: number) => `/boundaries/${matterId}#share-${id}`,
  case: (matterId: number, id: number) => `/boundaries/${matterId}#case-${id}`,
  regimes: () => '/regimes',
  regime: (id: number) => `/regimes/${id}`,
  services: () => '/services',
  service: (id: number) => `/services/${id}`,
  source: (docId: number, from: number, to: number) => `/sources/${docId}?from=${from}&to=${to}#L${from}`,
  departments: () => '/departments',
  sourceDocument: (docId: number) => `/sources/${docId}`,
  exportData: (format: 'json' | 'csv' | 'xlsx', part: 'duties' | 'boundaries' | 'regimes' | 'services') =>
    `/api/v1/export?format=${format}&part=${part}`,
  largeText: () => '/preferences/large-text',
} as const;
