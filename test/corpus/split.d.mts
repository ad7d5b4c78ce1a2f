/** Types for split.mjs. */
export const HELD_OUT_SHARE: number;
export function splitOf(group: string): 'tune' | 'heldout';
