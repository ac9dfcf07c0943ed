/**
 * Splits CSV text into its header and raw records (quoted fields may hold commas and newlines),
 * so a large import can be sent in chunks — each chunk a valid CSV with the header repeated —
 * and progress shown per chunk.
 */
export function splitCsv(text: string): { header: string; records: string[] } {
  const body = text.replace(/^\uFEFF/, '');
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      records.push(body.slice(start, i));
      if (ch === '\r' && body[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (start < body.length) records.push(body.slice(start));
  const nonEmpty = records.filter((r) => r.trim() !== '');
  return { header: nonEmpty[0] ?? '', records: nonEmpty.slice(1) };
}

export function chunkCsv(text: string, rowsPerChunk: number): { csv: string; firstRow: number; rows: number }[] {
  const { header, records } = splitCsv(text);
  const chunks: { csv: string; firstRow: number; rows: number }[] = [];
  for (let i = 0; i < records.length; i += rowsPerChunk) {
    const part = records.slice(i, i + rowsPerChunk);
    chunks.push({ csv: `${header}\n${part.join('\n')}\n`, firstRow: i, rows: part.length });
  }
  return chunks;
}
