// Builds what ks-console shares with extensions but npm ships no browser build of:
// @kubed/components (with @kubed/hooks and @kubed/icons inside) as one SystemJS module, for the
// console stand-in of the browser tests (tests/browser/console.py VENDOR). The console maps
// '@kubed/components' to its own copy ('core:@kubed/components', ks-console
// server/configs/systemImports.js); react, react-dom and styled-components stay external here
// too, so the components share the page's React and styled-components (one ThemeProvider).
// Not part of the extension bundle: only the tests serve this file.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';

const here = dirname(fileURLToPath(import.meta.url));
const EXTERNAL = ['react', 'react-dom', 'styled-components'];

export default {
  input: '@kubed/components',
  external: id => EXTERNAL.includes(id),
  plugins: [
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
