/**
 * Looks for secrets in bytes: the whole value, and any 16-character piece of it (a secret cut,
 * wrapped or partly masked still leaks), as is and URL-encoded. Secrets are ASCII, so the bytes are
 * searched as latin1: every byte stays one character and nothing is lost to UTF-8 decoding.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Secret {
  /** What it is, for the failure message (never the value). */
  name: string;
  value: string;
}

export interface Exhibit {
  /** Where the bytes came from. */
  where: string;
  bytes: Buffer;
}

const PIECE = 16;

function piecesOf(value: string): string[] {
  if (value.length <= PIECE) return [value];
  const pieces = new Set<string>();
  for (let i = 0; i + PIECE <= value.length; i++) {
    const piece = value.slice(i, i + PIECE);
    pieces.add(piece);
    pieces.add(encodeURIComponent(piece));
  }
  return [...pieces];
}

/** `where: secret name` for every secret found in any exhibit; empty when clean. */
export function findSecrets(exhibits: readonly Exhibit[], secrets: readonly Secret[]): string[] {
  const prepared = secrets.map((secret) => ({ name: secret.name, pieces: piecesOf(secret.value) }));
  const hits: string[] = [];
  for (const exhibit of exhibits) {
    const text = exhibit.bytes.toString('latin1');
    for (const secret of prepared) {
      if (secret.pieces.some((piece) => text.includes(piece))) hits.push(`${exhibit.where}: ${secret.name}`);
    }
  }
  return hits;
}

/** Every regular file under `dir` (recursively), except those `skip` names. Sockets and FIFOs are left out. */
export function filesUnder(dir: string, skip: (file: string) => boolean = () => false): Exhibit[] {
  const exhibits: Exhibit[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return exhibits;
  }
  for (const name of entries) {
    const file = path.join(dir, name);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(file);
    } catch {
      continue; // gone meanwhile
    }
    if (stat.isDirectory()) exhibits.push(...filesUnder(file, skip));
    else if (stat.isFile() && !skip(file)) {
      try {
        exhibits.push({ where: file, bytes: readFileSync(file) });
      } catch {
        // removed between stat and read
      }
    }
  }
  return exhibits;
}
