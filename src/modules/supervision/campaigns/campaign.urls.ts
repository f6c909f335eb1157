/** Addresses of the campaign pages, in one place. */
export const campaignUrls = {
  staffList: '/admin/supervision/campaigns',
  staff: (id: number) => `/admin/supervision/campaigns/${id}`,
  staffFiling: (id: number) => `/admin/supervision/campaigns/filings/${id}`,
  staffFile: (filing: number, file: number) => `/admin/supervision/campaigns/filings/${filing}/files/${file}`,
  zones: '/admin/supervision/campaigns/zones',
  publicList: (year?: number) => (year ? `/supervision/campaigns?year=${year}` : '/supervision/campaigns'),
  publicCsv: (year?: number) =>
    year ? `/supervision/campaigns.csv?year=${year}` : '/supervision/campaigns.csv',
  publicApi: (year?: number) =>
    year ? `/api/v1/supervision/campaigns?year=${year}` : '/api/v1/supervision/campaigns',
};

export const filingUrls = {
  start: '/filing',
  filing: (token: string) => `/filing/${token}`,
};

export const oversightUrls = {
  list: '/admin/supervision/oversight',
  check: (id: number) => `/admin/supervision/oversight/${id}`,
};
