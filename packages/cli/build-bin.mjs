// Bundles the `keyway` command, from the packages' sources, with source maps (`pnpm build`,
// and this package's tests before they run it). Three bundles that share nothing:
// - dist/bin.cjs, the bin: the stored-token path (`keyway token` with a fresh stored token,
//   the file store included) in one CommonJS file;
// - dist/bin-lazy/, what the stored-token path loads only on need (the keychain and Redis
//   stores, the file lock, undici, the trace), ES modules that the bin loads with `import()`;
// - dist/program/run-program.js, the full command line (commander, logins, transports, the
//   machine, openid-client, the inspector), loaded by the bin only when the stored-token path
//   does not serve, its rarely used parts in lazy chunks under dist/program/chunks/.
//
// Why the bin is CommonJS, not an ES module: the bin is started on every `kubectl` command and
// every git fetch, and Node 20 starts its ES module loader for an ES module entry, about 3 ms
// of a ~20 ms start (an empty .mjs file costs 1.15–1.2× `node -e 0`, an empty .cjs file
// nothing measurable; ~12 M more instructions). The same stored-token path bundled as one
// CommonJS file measured 1.56–1.59× `node -e 0` against 1.80–1.95× for the ES module bundle
// (whole processes, alternated), and 154 M against 178 M instructions (valgrind, node -e 0:
// 86 M). The full command line stays ES modules: it is loaded with `import()`, where the
// loader's cost is small beside a login's.
//
// Keyway's own packages are bundled, not left to Node: so the stored-token path loads only the
// code it runs (tree-shaken), not @keyway/core's main entry and its ~40 modules, and each
// bundle holds one copy of each package (one KeywayError class, which `instanceof` checks
// rely on; a package left outside would bring its own @keyway/core). The two bundles hand each
// other nothing but the command line and the process's streams. Third-party libraries are
// bundled too, except the few that cannot be: each of those is a dependency of @keyway/cli,
// so the bin finds it where it is installed.
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

/** Libraries left to Node to load, and why. */
const external = [
  // core loads it with require() on first need (shared with an app's own `import 'xstate'`).
  'xstate',
  // a native addon.
  '@napi-rs/keyring',
  // runs the xdg-open script shipped beside its own files.
  'open',
  // the inspector serves its bundled file by path.
  'elkjs',
]

/**
 * `import process from 'node:process'` (env-paths has one) makes Node wrap the whole process
 * object as a module, which reads every lazy property of it: about 2 ms of every start. The
 * global is the same object.
 */
const processGlobal = {
  name: 'node:process as the global',
  setup(build) {
    build.onResolve({ filter: /^(node:)?process$/ }, () => ({
      path: 'process',
      namespace: 'global',
    }))
    build.onLoad({ filter: /.*/, namespace: 'global' }, () => ({
      // CommonJS, so that both `import process from` and `require('node:process')` get it whole.
      contents: 'module.exports = globalThis.process',
    }))
  },
}

/**
 * In the bin, Node's `fs/promises`, `timers/promises` and `module` are loaded when first used,
 * not when the bundled modules that import them start: the stored-token path reads with
 * synchronous calls and never needs them, and loading them (with the readline and ES module
 * loader internals they bring) cost about 0.6 ms of every run (1.37× against 1.40× `node -e
 * 0`, 50 alternated pairs). Each stands in as an object of getters, one per export of the
 * module as this Node has it, that load the module on first read.
 */
const lazyBuiltins = {
  name: 'node built-ins loaded on first use',
  setup(build) {
    build.onResolve({ filter: /^node:(fs\/promises|timers\/promises|module)$/ }, (args) => ({
      path: args.path,
      namespace: 'lazy-builtin',
    }))
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let loaded
const load = () => (loaded ??= process.getBuiltinModule(${JSON.stringify(args.path)}))
for (const key of ${JSON.stringify(Object.keys(process.getBuiltinModule(args.path)))}) {
  Object.defineProperty(module.exports, key, { enumerable: true, get: () => load()[key] })
}`,
    }))
  },
}

/** What both bundles share: ESM for Node 20, from the packages' sources, with source maps. */
const common = {
  absWorkingDir: import.meta.dirname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['keyway:source'],
  external,
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  legalComments: 'linked',
  plugins: [processGlobal],
  // CommonJS libraries in the bundle call require() for Node's built-in modules.
  banner: {
    js: "import { createRequire as __keywayRequire } from 'node:module';const require = __keywayRequire(import.meta.url);",
  },
  logLevel: 'warning',
}

/** The bin's `import.meta.url`, which CommonJS has no syntax for. */
const moduleUrl = {
  define: { 'import.meta.url': '__keywayModuleUrl' },
  // "use strict" first, so that it stays the file's directive: the sources are ES modules.
  banner: {
    js: '"use strict";\nvar __keywayModuleUrl = require("node:url").pathToFileURL(__filename).href;',
  },
}

/**
 * What the bin loads with `import()`: the full command line, a bundle of its own (two bundles
 * share no chunk, so the stored-token path is not cut into the many chunks it would share
 * with every lazy part of the full command); the file store, bundled into the bin (the
 * stored-token path's usual store); anything else, an entry of dist/bin-lazy/, named after
 * what it imports. CommonJS has no chunks: bundled, each would sit in the bin's one file and be
 * parsed on every run.
 */
function binImports(lazy) {
  return {
    name: 'what the bin loads on need',
    setup(build) {
      build.onResolve({ filter: /^\.\/run-program\.js$/ }, () => ({
        path: './program/run-program.js',
        external: true,
      }))
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'lazy') return undefined
        if (args.path === '@keyway/store-file') return undefined
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'lazy',
        })
        if (resolved.errors.length > 0 || resolved.external) return undefined
        const name = args.path
          .replace(/^@keyway\//, '')
          .replace(/^.*\//, '')
          .replace(/\.js$/, '')
        const path = `./bin-lazy/${name}.js`
        const known = lazy.get(path)
        if (known !== undefined && known.source !== resolved.path) {
          throw new Error(`two lazy imports would be ${path}: ${known.source}, ${resolved.path}`)
        }
        lazy.set(path, { name, source: resolved.path })
        return { path, external: true }
      })
    },
  }
}

// Chunks are named by their content: those of an earlier build would pile up. The bins of
// builds before the bin was CommonJS would be packed beside it.
const stale = ['dist/bin-chunks', 'dist/bin-lazy', 'dist/program']
for (const file of ['bin.js', 'git-credential-bin.js'])
  stale.push(`dist/${file}`, `dist/${file}.map`)
for (const path of stale) {
  await rm(join(import.meta.dirname, path), { recursive: true, force: true })
}
const lazy = new Map()
const [fast, full] = await Promise.all([
  build({
    ...common,
    ...moduleUrl,
    splitting: false,
    format: 'cjs',
    entryPoints: { bin: 'src/bin.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist',
    plugins: [...common.plugins, lazyBuiltins, binImports(lazy)],
  }),
  build({
    ...common,
    entryPoints: { 'run-program': 'src/run-program.ts' },
    outdir: 'dist/program',
    chunkNames: 'chunks/[name]-[hash]',
  }),
])
// Only what the bin's file still imports: the plugin also met the imports of modules that
// tree-shaking dropped.
const imported = new Set(
  fast.metafile.outputs['dist/bin.cjs'].imports
    .filter((entry) => entry.external && entry.kind === 'dynamic-import')
    .map((entry) => entry.path),
)
const onNeed = await build({
  ...common,
  entryPoints: Object.fromEntries(
    [...lazy].filter(([path]) => imported.has(path)).map(([, { name, source }]) => [name, source]),
  ),
  outdir: 'dist/bin-lazy',
  chunkNames: 'chunks/[name]-[hash]',
})
// git-credential-keyway is the bin under another name: one small CommonJS file that loads it.
await build({
  ...common,
  splitting: false,
  format: 'cjs',
  metafile: false,
  banner: {},
  entryPoints: { 'git-credential-bin': 'src/git-credential-bin.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  plugins: [
    {
      name: 'the bin, left to load',
      setup(build) {
        build.onResolve({ filter: /^\.\/bin\.cjs$/ }, (args) => ({
          path: args.path,
          external: true,
        }))
      },
    },
  ],
})
// Which sources each file holds: the tests read it to tell what a command loaded.
const outputs = { ...fast.metafile.outputs, ...onNeed.metafile.outputs, ...full.metafile.outputs }
await writeFile(
  join(import.meta.dirname, 'dist/bin.meta.json'),
  JSON.stringify({ outputs }, null, 1),
)
