// esbuild options for every bundle of server/src: the CLI, the language server and the
// library (scripts/build.mjs), and the engine that scripts/compile-rules.mjs checks the rule
// examples with.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// CJS bundles of ESM sources: tinyglobby's fdir reads import.meta.url, which esbuild empties
// in CJS output, so it is defined from __filename (see ../shared/notes/stack.md).
export const serverBundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  conditions: ['candor-source'],
  // jsonc-parser's "main" is a UMD build whose factory requires './impl/format' at run time,
  // which a bundle cannot resolve: bundle its ES module build instead.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  define: { 'import.meta.url': '__importMetaUrl', CANDOR_VERSION: JSON.stringify(pkg.version) },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      // fdir (under tinyglobby) looks for an optional picomatch in node_modules when it loads:
      // a module resolution and a second, uncached picomatch at every CLI start (~3 ms), for
      // its glob() builder, which tinyglobby never calls (it passes its own matchers). In the
      // bundle that lookup finds nothing, as fdir allows, and the bundle no longer depends on
      // a node_modules folder beside it.
      name: 'fdir-without-optional-picomatch',
      setup(build) {
        build.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async (args) => {
          const source = readFileSync(args.path, 'utf8');
          const patched = source
            .replace(/^import \{ createRequire \} from "module";$/m, '')
            .replace(/createRequire\(import\.meta\.url\)/, '(() => { const none = () => { throw new Error("not bundled"); }; none.resolve = none; return none; })()');
          if (patched === source || /createRequire/.test(patched)) throw new Error('fdir changed: its optional picomatch lookup was not found (scripts/server-bundle.mjs)');
          return { contents: patched, loader: 'js' };
        });
      },
    },
  ],
};
