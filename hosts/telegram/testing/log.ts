import type { Logger } from '../../runtime/ports.ts';

export type LogLine = { level: 'info' | 'warn' | 'error'; obj: object; msg?: string };

/** A Logger that keeps what it was told, for assertions ("a logged failure"). */
export function recordingLog(): Logger & { lines: LogLine[]; errors(): LogLine[] } {
  const lines: LogLine[] = [];
  const push = (level: LogLine['level']) => (obj: object, msg?: string) => {
    lines.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
  };
  return {
    lines,
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    errors: () => lines.filter((l) => l.level === 'error'),
  };
}
