/** Types for build-credential-corpus.mjs. */
import type { CorpusEntry } from './evaluate.mjs';

export function buildCorpusEntries(): CorpusEntry[];
export function toJsonl(entries: readonly CorpusEntry[]): string;
