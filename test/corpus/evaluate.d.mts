/** Types for evaluate.mjs (plain JavaScript so bench/ can run it on the built package without a compiler). */
export interface CorpusEntry {
  text: string;
  kind: 'expired' | 'invalid' | 'missing' | 'sso-expired' | null;
  should_trigger: boolean;
  category: string;
  program: string;
  source: string;
  variant: string;
  group: string;
  split: 'tune' | 'heldout';
}

export interface Figures {
  positives: number;
  right: number;
  recall: number;
  lookAlikes: number;
  alarms: number;
  falseAlarmRate: number;
}

export interface Evaluation {
  splits: Record<'tune' | 'heldout', Figures>;
  programs: Record<string, Figures>;
  misses: Array<{ entry: CorpusEntry; got: string | null }>;
}

export const CORPUS_PATH: string;
export function readCorpus(path?: string): CorpusEntry[];
export function evaluate(
  entries: readonly CorpusEntry[],
  detect: (line: string) => string | null,
): Evaluation;
export function formatFigures(evaluation: Pick<Evaluation, 'splits' | 'programs'>): string;
