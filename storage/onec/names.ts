/**
 * The path of a file inside one exchange session, as 1C names it in `filename=` or inside a zip:
 * `import.xml`, `goods/1/import___1a2b.xml`, `import_files/82/82cf….jpg`. Backslashes become
 * slashes and a leading slash goes, but nothing may climb out (`..`), name a drive or a device,
 * or hide control characters: such a name is refused, never "fixed".
 */
export const MAX_NAME_LENGTH = 300;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

export function exchangePath(raw: string): NameCheck {
  const slashed = raw.trim().replace(/\\/g, '/').replace(/^\/+/, '');
  if (slashed === '') return { ok: false, reason: 'the file name is empty' };
  if (slashed.length > MAX_NAME_LENGTH) return { ok: false, reason: `the file name is longer than ${MAX_NAME_LENGTH}` };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(slashed)) return { ok: false, reason: 'the file name holds control characters' };
  if (/^[a-z]:/i.test(slashed)) return { ok: false, reason: `the file name ${raw} names a drive` };
  const parts = slashed.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return { ok: false, reason: `the file name ${raw} points outside the exchange` };
  if (parts.length === 0) return { ok: false, reason: 'the file name is empty' };
  return { ok: true, name: parts.join('/') };
}

/** the directory part of a path (`goods/1` for `goods/1/import.xml`, `` for `import.xml`) */
export const directoryOf = (name: string): string => name.split('/').slice(0, -1).join('/');

/** `path` as written inside `file` (a picture named relative to its XML), normalised; undefined when it climbs out */
export function resolveBeside(file: string, path: string): string | undefined {
  const dir = directoryOf(file);
  const joined = exchangePath(dir === '' ? path : `${dir}/${path}`);
  return joined.ok ? joined.name : undefined;
}
