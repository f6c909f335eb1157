/** The admin module's public surface: other modules import only from here. */
export { adminPages } from './admin.pages.tsx';
