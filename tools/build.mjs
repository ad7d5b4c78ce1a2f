// Builds dist/: two esbuild passes for the JavaScript (the executable as CommonJS; the program, the
// library and the few modules run by path as ES modules), then tsc for the library's declarations only.
//
// esbuild rather than tsup or rolldown: it is already installed (vite depends on it), it does ESM code
// splitting natively, and tsup would only wrap it; rolldown's Node output was still pre-1.0 when this
// was written. Every `await import()` in src/ becomes a lazy chunk, so a command loads only the code it
// runs: `status` never parses the AWS SDK, zod or the config code it does not use.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'dist');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

rmSync(outdir, { recursive: true, force: true });

/**
 * The executable, dist/cli/main.cjs, is CommonJS and self-contained: Node starts a CommonJS file
 * several ms sooner than an ES module, and `--version` and `status --format tmux` (tmux runs it every
 * few seconds) are answered there, with nothing but main.ts's own small code and Node's built-ins
 * (cli/quick-status.ts and the few modules it reads with are copied in, not shared, and run only for
 * `status`: esbuild turns that `import()` into code initialised on demand). Every other command goes
 * on through `import('./run-cli.js')`, kept as it is: the ES module build below.
 */
const RUN_CLI = './run-cli.js';
const keepRunCliExternal = {
  name: 'keep-run-cli-external',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\/run-cli\.js$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'cli', 'main.ts'))
        ? { path: RUN_CLI, external: true }
        : undefined,
    );
  },
};

const REQUIRE_BANNER =
  "import { createRequire as __credSupervisorRequire } from 'node:module'; const require = __credSupervisorRequire(import.meta.url);";

const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  // Readable stack traces for users' bug reports matter more than the few KB minifying would save.
  minify: false,
  metafile: true,
  logLevel: 'warning',
  define: { CRED_SUPERVISOR_VERSION: JSON.stringify(version) },
};

const entry = await build({
  ...common,
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  plugins: [keepRunCliExternal],
});

const result = await build({
  ...common,
  entryPoints: {
    // The program behind the executable (main.cjs imports it) and the library (package.json#exports).
    'cli/run-cli': 'src/cli/run-cli.ts',
    index: 'src/index.ts',
    // Run by path: the demo's child and loopback STS, the exec's terminal helper (tests load it too).
    'demo/demo-child': 'src/demo/demo-child.ts',
    'demo/local-sts': 'src/demo/local-sts.ts',
    'exec/terminal-foreground': 'src/exec/terminal-foreground.ts',
  },
  format: 'esm',
  splitting: true,
  // Chunks one level below dist/, like the entries, so relative paths resolve the same from both.
  chunkNames: 'chunks/[name]-[hash]',
  // Only macOS's optional native watcher; chokidar falls back to fs.watch without it.
  external: ['fsevents'],
  // ESM builds first: jsonc-parser's CommonJS build is UMD with a require() esbuild cannot follow.
  mainFields: ['module', 'main'],
  // Bundled CommonJS packages (proper-lockfile, pino's helpers) call require() for Node built-ins.
  banner: { js: REQUIRE_BANNER },
});

// Only files that call require() keep the banner: the others skip loading node:module. The line
// stays, empty, so the source maps still line up.
for (const file of Object.keys(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const text = readFileSync(path.join(root, file), 'utf8');
  const body = text.replace(REQUIRE_BANNER, '');
  if (!/\brequire\b/.test(body)) writeFileSync(path.join(root, file), body);
}

// The chunk graph, for the test that asserts what each command loads (test/cli/lazy-loading.test.ts).
const outputs = { ...result.metafile.outputs, ...entry.metafile.outputs };
writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify({ ...result.metafile, outputs }));

execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
