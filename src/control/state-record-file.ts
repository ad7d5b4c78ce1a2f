/** The state record's file name, alone so that `status --format tmux` can find it without loading zod. */
export const STATE_RECORD_FILE = 'state.json';
