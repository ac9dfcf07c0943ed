export function needsBuild(): boolean;
export function buildIfNeeded(opts?: { force?: boolean }): boolean;
