import stripAnsi from 'strip-ansi';

/**
 * How much of each end of a line is examined. Credential errors are short, but they can sit at the very
 * end of a huge line: CDK's `-vv` trace prints `[SDK error] CloudFormation.CreateChangeSet({...whole
 * template...}) -> ExpiredToken: ...`. Looking at both ends keeps the cost bounded on a 5 MB line without
 * losing either the prefix (which tells relayed Lambda logs apart) or that trailing error.
 */
export const EXAMINED_END_LENGTH = 8 * 1024;

/**
 * The part of one output line the detection rules look at: at most both ends of it, without ANSI
 * escapes, with carriage returns (CRLF endings, progress-bar rewrites) turned into spaces. When the
 * line is cut, the two ends are joined by a newline so that no rule can match across the cut.
 */
export function getExaminedText(line: string): string {
  const ends =
    line.length > 2 * EXAMINED_END_LENGTH
      ? `${line.slice(0, EXAMINED_END_LENGTH)}\n${line.slice(-EXAMINED_END_LENGTH)}`
      : line;
  // strip-ansi returns the input untouched when it holds no escape introducer, so most lines cost nothing.
  return stripAnsi(ends).replace(/\r/g, ' ');
}
