/** Where a project's configuration lives; alone so that finding it loads no parser. */
export const CONFIG_FILE_NAME = 'cred-supervisor.config.json';
export const PACKAGE_JSON_KEY = 'credSupervisor';
