/**
 * The routes of enforcement (issue 10: rectification orders, penalty cases, the deadlines dashboard),
 * whose authorisation matrix — with the legal reviewer's role and the owning office's editor — is
 * test/authz-matrix-enforcement.test.ts. The main matrices leave exactly these to it; that file
 * checks this list against the routes registered.
 */
const R = '/admin/supervision/rectifications';
const P = '/admin/supervision/penalties';
const AR = '/api/v1/staff/rectifications';
const AP = '/api/v1/staff/penalties';

export const ENFORCEMENT_ADMIN_ROUTES: readonly string[] = [
  `GET ${R}`,
  `GET ${R}/new`,
  `POST ${R}`,
  `GET ${R}/:id`,
  ...['deliver', 'consent', 'reinspector', 'outcome', 'escalate'].map((a) => `POST ${R}/:id/${a}`),
  `GET ${P}`,
  `GET ${P}/new`,
  `POST ${P}`,
  `GET ${P}/:id`,
  ...[
    'notice',
    'statement',
    'hearing-request',
    'hearing-schedule',
    'hearing-held',
    'submit',
    'review',
    'decide',
    'deliver',
    'publish',
    'pay',
  ].map((a) => `POST ${P}/:id/${a}`),
  'GET /admin/deadlines',
  'GET /admin/deadlines.csv',
];

export const ENFORCEMENT_API_ROUTES: readonly string[] = [
  `GET ${AR}`,
  `POST ${AR}`,
  `GET ${AR}/:id`,
  ...['delivery', 'consent', 'reinspection', 'outcome', 'escalations'].map((a) => `POST ${AR}/:id/${a}`),
  `GET ${AP}`,
  `POST ${AP}`,
  `GET ${AP}/:id`,
  ...[
    'notice',
    'statement',
    'hearing-request',
    'hearing-schedule',
    'hearing-held',
    'submission',
    'legal-review',
    'decision',
    'delivery',
    'publication',
    'payment',
  ].map((a) => `POST ${AP}/:id/${a}`),
];
