/**
 * The configuration (config file, package.json#credSupervisor or flags) is invalid. One problem per
 * line, each naming where, which key, what was expected and what came. The CLI exits 2 (usage).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly problems: readonly string[],
    /** The problems are in command-line flags, not in a config file. */
    readonly inFlags = false,
  ) {
    super(problems.join('\n'));
  }
}
