/** The backoffice module's public surface: the staff shell (navigation and dashboard). */
export { type BackofficeOptions, backofficePlugin } from './dashboard.pages.tsx';
export { type HealthFixOptions, healthFixPages } from './health-fix.pages.ts';
