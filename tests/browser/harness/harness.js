// Mount the extension bundle like ks-console: language from the `lang` cookie into
// globals.user.lang, shared modules into SystemJS, default export registered and rendered.
(function () {
  'use strict';
  var match = document.cookie.match(/(?:^|;\s*)lang=([^;]*)/);
  var lang = match ? decodeURIComponent(match[1]) : 'en';
  window.globals = { user: { username: 'admin', lang: lang }, config: {} };
  // The user's global permissions as ks-console keeps them (server/services/session.js
  // getUserGlobalRules: module -> actions, plus the role template names); a test sets them as
  // JSON in the `harness-rules` cookie, e.g. {"deepseek": ["view"]}.
  var rules = document.cookie.match(/(?:^|;\s*)harness-rules=([^;]*)/);
  if (rules) window.globals.user.globalRules = JSON.parse(decodeURIComponent(rules[1]));

  // react, react-dom and react-router-dom are CommonJS modules without a default export; only
  // styled-components has one. Registering the same shapes makes a bundle that relies on a
  // default import of react fail here as it would in the console.
  System.set('app:react', Object.assign({}, window.React));
  System.set('app:react-dom', Object.assign({}, window.ReactDOM));
  System.set('app:react-router-dom', Object.assign({}, window.ReactRouterDOM));
  System.set('app:styled-components', Object.assign({}, window.styled, { default: window.styled }));
  // @kubed/components is compiled into the console's own build, where its `import React from
  // 'react'` works; its stand-in build (vendor.config.mjs) gets modules with a default, scoped to
  // /vendor/ in the import map, so the bundle itself still sees the console's shapes.
  System.set('app:react-for-kubed', Object.assign({ default: window.React }, window.React));
  System.set('app:react-dom-for-kubed', Object.assign({ default: window.ReactDOM }, window.ReactDOM));

  function fail(error) {
    window.__harness = { error: String((error && error.stack) || error) };
    document.getElementById('harness-error').textContent = 'Bundle failed: ' + window.__harness.error;
  }
  window.addEventListener('error', function (event) { fail(event.error || event.message); });

  // The console renders every page inside KubedConfigProvider and CssBaseline (ks-console
  // packages/core/src/App.tsx), so the kubed components an extension uses find their theme.
  var kubed = null;
  System.import('@kubed/components').then(function (module) {
    kubed = module;
    return System.import('/pstatic/dist/deepseek/index.js');
  }).then(function (module) {
    var config = module.default;
    if (!config || !Array.isArray(config.routes) || !Array.isArray(config.menus) || !config.locales) {
      throw new Error('default export is not {routes, menus, locales}');
    }
    var h = React.createElement;
    var R = window.ReactRouterDOM;
    var texts = config.locales[lang] || config.locales.en || {};
    function Nav() {
      return h('div', { className: 'ks-nav' },
        h('span', { className: 'brand' }, 'KubeSphere'),
        config.menus.filter(function (m) { return m.parent === 'global'; }).map(function (m) {
          return h(R.Link, { key: m.name, to: m.link || '/' + m.name, 'data-testid': 'menu-' + m.name },
            m.img ? h('img', { src: m.img, alt: '' }) : null, texts[m.title] || m.title);
        }));
    }
    function App() {
      var element = R.useRoutes(config.routes);
      return h(React.Fragment, null, h(Nav), h('div', { className: 'ks-main' }, element));
    }
    window.__harness = { ready: true, menus: config.menus, localeKeys: { en: Object.keys(config.locales.en || {}), zh: Object.keys(config.locales.zh || {}) } };
    var themed = h(kubed.KubedConfigProvider, { themeType: 'light', locale: lang === 'zh' ? 'zh' : 'en' },
      h(kubed.CssBaseline), h(R.BrowserRouter, null, h(App)));
    ReactDOM.render(themed, document.getElementById('root'));
  }).catch(fail);
})();
