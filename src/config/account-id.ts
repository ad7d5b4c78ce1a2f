/** A 12-digit AWS account id: the one pattern --expect-account, the config file and --accept-account use. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
