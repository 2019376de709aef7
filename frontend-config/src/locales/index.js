import en from './en.js';
import zh from './zh.js';

// The shape ks-console merges into its i18next resources (registerLocales).
export default { en, zh };
