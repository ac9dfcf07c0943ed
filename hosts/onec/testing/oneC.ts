import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * 1C:Enterprise's side of the site exchange, as its «Обмен с сайтом» drives it over real HTTP:
 * Basic auth at `checkauth`, the session cookie on every later request, files sent in parts of
 * at most `file_limit`, and `import` asked again for as long as the site answers `progress`.
 */
export type Reply = { status: number; lines: string[] };
export type Credentials = { user: string; password: string };

export class OneC {
  cookie: string | undefined;
  fileLimit = Number.POSITIVE_INFINITY;
  zip = false;

  constructor(
    private readonly base: string,
    private readonly city: string,
    private readonly credentials: Credentials,
  ) {}

  async call(
    mode: string,
    params: Record<string, string> = {},
    init: { body?: Uint8Array; basic?: boolean; type?: string } = {},
  ): Promise<Reply> {
    const query = new URLSearchParams({ type: init.type ?? 'catalog', mode, ...params });
    const headers: Record<string, string> = {};
    if (init.basic)
      headers.authorization = `Basic ${Buffer.from(`${this.credentials.user}:${this.credentials.password}`).toString('base64')}`;
    if (this.cookie) headers.cookie = this.cookie;
    const res = await fetch(`${this.base}/1c/exchange/${encodeURIComponent(this.city)}?${query}`, {
      method: init.body ? 'POST' : 'GET',
      headers,
      ...(init.body ? { body: new Uint8Array(init.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, lines: text.replace(/\n$/, '').split('\n') };
  }

  async checkauth(): Promise<Reply> {
    const reply = await this.call('checkauth', {}, { basic: true });
    if (reply.lines[0] === 'success') this.cookie = `${reply.lines[1]}=${reply.lines[2]}`;
    return reply;
  }

  async init(): Promise<Reply> {
    const reply = await this.call('init');
    for (const line of reply.lines) {
      if (line.startsWith('zip=')) this.zip = line === 'zip=yes';
      if (line.startsWith('file_limit=')) this.fileLimit = Number(line.slice('file_limit='.length));
    }
    return reply;
  }

  /** sends `bytes` as 1C does: parts of at most file_limit (or `partSize` when smaller), each appended */
  async upload(filename: string, bytes: Uint8Array, partSize = this.fileLimit): Promise<Reply[]> {
    const size = Math.max(1, Math.min(partSize, this.fileLimit));
    const replies: Reply[] = [];
    for (let at = 0; at < bytes.byteLength || at === 0; at += size) {
      const reply = await this.call('file', { filename }, { body: bytes.subarray(at, at + size) });
      replies.push(reply);
      if (reply.lines[0] !== 'success') break;
      if (bytes.byteLength === 0) break;
    }
    return replies;
  }

  /** a file too large to hold, sent as it is produced: never more than one part in memory */
  async uploadStream(filename: string, pieces: Iterable<Uint8Array>, partSize = this.fileLimit): Promise<number> {
    const size = Math.min(partSize, this.fileLimit);
    let pending: Uint8Array[] = [];
    let length = 0;
    let parts = 0;
    const send = async () => {
      const reply = await this.call('file', { filename }, { body: Buffer.concat(pending, length) });
      if (reply.lines[0] !== 'success') throw new Error(`upload of ${filename} refused: ${reply.lines.join(' / ')}`);
      parts++;
      pending = [];
      length = 0;
    };
    for (const piece of pieces) {
      let at = 0;
      while (at < piece.byteLength) {
        const take = Math.min(size - length, piece.byteLength - at);
        pending.push(piece.subarray(at, at + take));
        length += take;
        at += take;
        if (length === size) await send();
      }
    }
    if (length > 0) await send();
    return parts;
  }

  /** `import` (or `deactivate`/`complete`) repeated while the site answers `progress` */
  async untilDone(mode: string, params: Record<string, string> = {}, maxCalls = 10_000) {
    const progress: string[] = [];
    for (let call = 0; call < maxCalls; call++) {
      const reply = await this.call(mode, params);
      if (reply.lines[0] !== 'progress') return { reply, progress };
      progress.push(reply.lines[1] ?? '');
    }
    throw new Error(`${mode} ${JSON.stringify(params)} still in progress after ${maxCalls} calls`);
  }

  import(filename: string) {
    return this.untilDone('import', { filename });
  }
}

/** every file under `dir`, by its path relative to it (as 1C names them) */
export function filesOf(dir: string): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at).sort()) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push({ name: relative(dir, path).split('\\').join('/'), bytes: readFileSync(path) });
    }
  };
  walk(dir);
  return out;
}
