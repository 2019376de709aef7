// Builds what ks-console shares with extensions but npm ships no browser build of:
// @kubed/components (with @kubed/hooks and @kubed/icons inside) as one SystemJS module, for the
// console stand-in of the browser tests (tests/browser/console.py VENDOR). The console maps
// '@kubed/components' to its own copy ('core:@kubed/components', ks-console
// server/configs/systemImports.js); react, react-dom and styled-components stay external here
// too, so the components share the page's React and styled-components (one ThemeProvider).
// Not part of the extension bundle: only the tests serve this file.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';

const here = dirname(fileURLToPath(import.meta.url));
const EXTERNAL = ['react', 'react-dom', 'styled-components'];
const ICONS_ID = '\0kubed-icons-used';

// @kubed/icons is CommonJS, so rollup cannot drop the icons nobody imports: all 2,693 of them made
// this module 10 MB, which every browser test then loaded and parsed (about 2 s a page). The
// components import two dozen; '@kubed/icons' becomes a module exporting those, each from its own
// file. A name that the icons package does not have fails the build.
function onlyTheIconsTheComponentsUse() {
  const icons = join(here, 'node_modules/@kubed/icons/dist');
  const components = join(here, 'node_modules/@kubed/components/esm');
  const index = readFileSync(join(icons, 'index.js'), 'utf8');
  const fileOf = name => {
    const binding = index.match(new RegExp(`"${name}",\\{enumerable:true,get:function get\\(\\)\\{return (_\\w+)\\[`));
    const required = binding && index.match(new RegExp(`var ${binding[1]}=_interopRequireDefault\\(require\\("\\./([\\w-]+)"\\)\\)`));
    if (!required) throw new Error(`vendor: @kubed/icons has no icon ${name}`);
    return join(icons, `${required[1]}.js`);
  };
  const used = new Set();
  const scan = dir => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) scan(path);
      else if (entry.name.endsWith('.js')) {
        for (const [, names] of readFileSync(path, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]@kubed\/icons['"]/g)) {
          for (const name of names.split(',')) if (name.trim()) used.add(name.trim().split(/\s+as\s+/)[0]);
        }
      }
    }
  };
  scan(components);
  return {
    name: 'only-the-icons-the-components-use',
    resolveId: id => (id === '@kubed/icons' ? ICONS_ID : null),
    load: id => (id === ICONS_ID
      ? [...used].sort().map(name => `export { default as ${name} } from ${JSON.stringify(fileOf(name))};`).join('\n')
      : null),
  };
}

export default {
  input: '@kubed/components',
  external: id => EXTERNAL.includes(id),
  plugins: [
    onlyTheIconsTheComponentsUse(),
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    nodeResolve({ browser: true }),
    // require('react') in the CommonJS dependencies gets the module itself, as React's own
    // CommonJS build gives it (the page's react module has no default export, like the console's).
    commonjs({ esmExternals: true, requireReturnsDefault: 'namespace' }),
  ],
  output: {
    file: resolve(here, 'node_modules/.deepseek-vendor/kubed-components.js'),
    format: 'system',
    exports: 'named',
    compact: true,
  },
  onwarn(warning, warn) {
    // Third-party code: its 'use client' directives and `this` at top level are not our bugs.
    if (['MODULE_LEVEL_DIRECTIVE', 'THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY', 'SOURCEMAP_ERROR'].includes(warning.code)) return;
    warn(warning);
  },
};
