/**
 * RFC 4180 CSV: quoted fields, doubled quotes, CR/LF/CRLF line ends, newlines inside quotes,
 * a leading BOM, `,` or `;` as delimiter (picked from the header line). Yields each record with
 * the physical line it starts on, so errors can point at the spreadsheet row.
 */
export type CsvRecord = { line: number; fields: string[]; error?: string };

export function detectDelimiter(text: string): ',' | ';' {
  const end = text.search(/\r|\n/);
  const header = end === -1 ? text : text.slice(0, end);
  const commas = header.split(',').length;
  const semicolons = header.split(';').length;
  return semicolons > commas ? ';' : ',';
}

export function* parseCsv(input: string, delimiter: ',' | ';' = detectDelimiter(input)): Generator<CsvRecord> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: string | undefined;
    for (;;) {
      if (text[i] === '"') {
        // quoted field: find the closing quote, skipping doubled quotes
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1) {
            value += text.slice(j);
            error = 'unterminated quoted field';
            j = n;
            break;
          }
          value += text.slice(j, q);
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          j = q + 1;
          break;
        }
        line += countNewlines(value);
        fields.push(value);
        i = j;
        // anything between the closing quote and the delimiter is tolerated but flagged
        const next = nextBoundary(text, i, delimiter);
        if (next > i) {
          error ??= 'text after a closing quote';
          i = next;
        }
      } else {
        const next = nextBoundary(text, i, delimiter);
        fields.push(text.slice(i, next));
        i = next;
      }
      if (i >= n) break;
      const c = text[i];
      if (c === delimiter) {
        i++;
        if (i >= n) {
          fields.push('');
          break;
        }
        continue;
      }
      // line end
      if (c === '\r' && text[i + 1] === '\n') i += 2;
      else i++;
      line++;
      break;
    }
    // skip blank lines
    if (fields.length === 1 && fields[0] === '' && !error) continue;
    yield error ? { line: startLine, fields, error } : { line: startLine, fields };
  }
}

function nextBoundary(text: string, from: number, delimiter: string): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 10 || c === 13 || text[j] === delimiter) return j;
  }
  return text.length;
}

function countNewlines(value: string): number {
  let count = 0;
  for (let j = 0; j < value.length; j++) {
    const c = value.charCodeAt(j);
    if (c === 10) count++;
    else if (c === 13 && value.charCodeAt(j + 1) !== 10) count++;
  }
  return count;
}
