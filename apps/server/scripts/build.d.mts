/** Types of build.mjs (plain JavaScript: `npm start` runs it with node alone). */
export const OUTFILE: string;
export function isStale(): boolean;
export function buildServer(): Promise<void>;
