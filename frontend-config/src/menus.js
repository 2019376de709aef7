import icon from 'virtual:icon';

// Who sees the menu: everyone, as KubeSphere's own sample extensions do (skipAuth). Every
// authenticated user may read the status (the API chart binds the view rights to
// system:authenticated), but the console's menu filter reads only the role templates of the
// user's own GlobalRole (ks-core pkg/kapis/iam/v1beta1/handler.go, pkg/models/iam/am/am.go), never
// group-bound roles, so an authKey would hide the menu from every non-admin who may use it. A
// user whose rights were taken away gets the 403 page (ErrorPanel's hint); the bundle is public
// anyway (/dist/* skips authorization) and the API checks every call. docs/console.md says more.
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
    // Kept for the console's role-template rule {"deepseek": "view"}; skipAuth wins.
    authKey: AUTH_KEY,
    authAction: 'view',
    skipAuth: true,
  },
];
