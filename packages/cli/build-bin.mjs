// Bundles the `keyway` command, from the packages' sources, with source maps (`pnpm build`,
// and this package's tests before they run it). Two bundles that share nothing:
// - dist/bin.js, the bin: the stored-token path (`keyway token` with a fresh stored token)
//   and what it may load, the stores, in chunks under dist/bin-chunks/;
// - dist/program/run-program.js, the full command line (commander, logins, transports, the
//   machine, openid-client, the inspector), loaded by the bin only when the stored-token path
//   does not serve, its rarely used parts in lazy chunks under dist/program/chunks/.
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

/**
 * The full command line is a bundle of its own, which the stored-token path's bundle loads as
 * a file it does not bundle: two bundles share no chunk, so the stored-token path is not cut
 * into the many chunks it would share with every lazy part of the full command.
 */
const program = {
  name: 'the full command line, bundled apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/run-program\.js$/ }, () => ({
      path: './program/run-program.js',
      external: true,
    }))
  },
}

// Chunks are named by their content: those of an earlier build would pile up.
for (const folder of ['dist/bin-chunks', 'dist/program']) {
  await rm(join(import.meta.dirname, folder), { recursive: true, force: true })
}
const [fast, full] = await Promise.all([
  build({
    ...common,
    entryPoints: { bin: 'src/bin.ts' },
    outdir: 'dist',
    chunkNames: 'bin-chunks/[name]-[hash]',
    plugins: [...common.plugins, program],
  }),
  build({
    ...common,
    entryPoints: { 'run-program': 'src/run-program.ts' },
    outdir: 'dist/program',
    chunkNames: 'chunks/[name]-[hash]',
  }),
])
// git-credential-keyway is the bin under another name: one small file that loads it.
await build({
  ...common,
  splitting: false,
  metafile: false,
  banner: {},
  entryPoints: { 'git-credential-bin': 'src/git-credential-bin.ts' },
  outdir: 'dist',
  plugins: [
    {
      name: 'the bin, left to load',
      setup(build) {
        build.onResolve({ filter: /^\.\/bin\.js$/ }, (args) => ({
          path: args.path,
          external: true,
        }))
      },
    },
  ],
})
// Which sources each file holds: the tests read it to tell what a command loaded.
const outputs = { ...fast.metafile.outputs, ...full.metafile.outputs }
await writeFile(
  join(import.meta.dirname, 'dist/bin.meta.json'),
  JSON.stringify({ outputs }, null, 1),
)
