/**
 * The configuration (config file, package.json#credSupervisor or flags) is invalid. One problem per
 * line, each naming where, which key, what was expected and what came. The CLI exits 2 (usage).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}
