/** The admin module's public surface: other modules import only from here. */
export { adminPages, interimChangesBackoffice } from './admin.pages.tsx';
