// Entry of the console bundle: ks-console System.imports it and reads the default export.
import locales from './locales/index.js';
import menus from './menus.js';
import routes from './routes.jsx';

export default { routes, menus, locales };
