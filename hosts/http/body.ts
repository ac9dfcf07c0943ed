/**
 * The raw bytes of a webhook body, never more than `limit`: a declared Content-Length over the
 * limit is refused before reading, and a body that turns out larger is cut off while streaming.
 * Webhooks need the raw bytes (WhatsApp signs them) and must not buffer an attacker's gigabyte.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  // Node's HTTP parser delivers exactly Content-Length bytes, so a declared length within the
  // limit can be read in one piece: under @hono/node-server arrayBuffer() reads the socket
  // directly instead of building a web ReadableStream per request (a hot path: every webhook)
  // (touching `request.body` there would build that stream). A Request built in-process may lie
  // about its length, so the bytes are still counted.
  if (Number.isFinite(declared)) {
    if (declared === 0) return new Uint8Array(0);
    const bytes = new Uint8Array(await request.arrayBuffer());
    return bytes.byteLength > limit ? 'too-large' : bytes;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
