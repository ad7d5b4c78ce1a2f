/**
 * A read-only npm registry on 127.0.0.1 that knows exactly the packages in this repository's
 * package-lock.json, so `npm install` of the packed tarball works as a person types it, with no
 * network. npm needs two things from a registry: the package documents ("packuments", to resolve
 * version ranges) and the tarballs. The packuments are built here from the lock file; the tarballs
 * are never downloaded, because every packument carries the lock file's integrity and npm reads
 * content with a known integrity from its cache, which `npm ci` filled. A tarball request therefore
 * means the cache lacks it, and is answered 404 with a message saying so.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface LockEntry {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  license?: string;
}

interface VersionDocument extends Omit<LockEntry, 'integrity'> {
  name: string;
  version: string;
  dist: { tarball: string; integrity: string };
}

export interface LocalRegistry {
  /** With a trailing slash, as npm's `registry` setting expects. */
  url: string;
  /** Tarballs npm asked for: each one means the npm cache lacked it. */
  missedTarballs: string[];
  close(): Promise<void>;
}

/** `node_modules/a/node_modules/@s/b` → `@s/b`. */
function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

async function readPackuments(lockFile: string, baseUrl: string): Promise<Map<string, VersionDocument[]>> {
  const lock = JSON.parse(await readFile(lockFile, 'utf8')) as { packages: Record<string, LockEntry> };
  const byName = new Map<string, VersionDocument[]>();
  for (const [lockPath, entry] of Object.entries(lock.packages)) {
    if (!lockPath.includes('node_modules/') || !entry.version || !entry.integrity) continue;
    const name = packageName(lockPath);
    const versions = byName.get(name) ?? [];
    if (versions.some((known) => known.version === entry.version)) continue;
    const { integrity, ...manifest } = entry;
    const file = `${name.split('/').pop()}-${entry.version}.tgz`;
    versions.push({
      ...manifest,
      name,
      version: entry.version,
      dist: { tarball: `${baseUrl}${name}/-/${file}`, integrity },
    });
    byName.set(name, versions);
  }
  return byName;
}

function packument(name: string, versions: VersionDocument[]): object {
  const sorted = [...versions].sort((a, b) => compareVersions(a.version, b.version));
  const latest = sorted.filter((v) => !v.version.includes('-')).pop() ?? sorted[sorted.length - 1];
  return {
    name,
    'dist-tags': { latest: latest?.version },
    versions: Object.fromEntries(sorted.map((v) => [v.version, v])),
  };
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) => (v.split('-')[0] ?? '').split('.').map(Number);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.localeCompare(b);
}

export async function startLocalRegistry(lockFile: string): Promise<LocalRegistry> {
  const missedTarballs: string[] = [];
  let packuments = new Map<string, VersionDocument[]>();
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/').replace(/^\/+/, '');
    if (url.includes('/-/')) {
      missedTarballs.push(url);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: `${url} is not in the npm cache: run \`npm ci\` in the repository first` }),
      );
      return;
    }
    const versions = packuments.get(url);
    if (!versions) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `${url} is not in this repository's package-lock.json` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(packument(url, versions)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  packuments = await readPackuments(lockFile, url);
  return {
    url,
    missedTarballs,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
