import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles a TypeScript test harness (and the src modules it imports) into one .mjs that plain `node`
 * can run as a separate process, using vite (already a dev dependency). Dependencies such as execa stay
 * external; the output lives under node_modules/.cache so they resolve from the project.
 */
export async function buildHarness(entry: string, outDir: string): Promise<string> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    build: {
      ssr: path.resolve(ROOT, entry),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } },
    },
  });
  return path.join(outDir, `${path.basename(entry, path.extname(entry))}.mjs`);
}

export const HARNESS_CACHE = path.join(ROOT, 'node_modules', '.cache', 'cred-supervisor-tests');
