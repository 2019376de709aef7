import icon from 'virtual:icon';

// Who sees the menu: users whose roles grant the DeepSeek role template (the API chart ships
// it; see docs/architecture.md "IAM"). The console hides the entry from everyone else, and the
// status API answers 403 to them anyway.
export const AUTH_KEY = 'deepseek';

export default [
  {
    // `global` is the menu that survives KubeSphere 4.2 (`topbar` is gone there).
    parent: 'global',
    name: 'deepseek',
    // Readable keys (no `.` or `:`, which i18next would split on): right whether or not the
    // console passes them through its translation.
    title: 'DeepSeek',
    desc: 'DeepSeek-R1 model status and chat',
    // A console icon name, and our own icon inline (no image host: works air-gapped).
    icon: 'cluster',
    img: icon,
    order: 0,
    authKey: AUTH_KEY,
    authAction: 'view',
    skipAuth: false,
  },
];
