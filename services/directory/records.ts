/** One record of a directory file: its first line in the file, and its fields by column name. */
export interface DirectoryRecord {
  line: number;
  fields: Record<string, string>;
}

/** A record the reader could not make sense of (an unclosed quote, a line that is not JSON). */
export interface UnreadableRecord {
  line: number;
  reason: string;
}

export interface ReadResult {
  format: 'csv' | 'jsonl';
  columns: string[];
  records: DirectoryRecord[];
  unreadable: UnreadableRecord[];
}

/**
 * Reads a CSV export (header row; UTF-8 with or without BOM; comma or semicolon, whichever the
 * header uses; RFC 4180 quotes, so fields may hold separators, quotes and line breaks) or JSON
 * Lines (one object per line). Values are returned as trimmed text.
 */
export function readDirectoryText(text: string, hint?: 'csv' | 'jsonl'): ReadResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const jsonl = hint === 'jsonl' || (hint === undefined && source.trimStart().startsWith('{'));
  return jsonl ? readJsonLines(source) : readCsv(source);
}

function readJsonLines(source: string): ReadResult {
  const records: DirectoryRecord[] = [];
  const unreadable: UnreadableRecord[] = [];
  const columns = new Set<string>();
  const lines = source.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      unreadable.push({ line, reason: 'not a JSON object' });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      unreadable.push({ line, reason: 'not a JSON object' });
      return;
    }
    const fields: Record<string, string> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      columns.add(key);
      fields[key] =
        v === null || v === undefined
          ? ''
          : Array.isArray(v)
            ? v.map(String).join(';')
            : typeof v === 'string'
              ? v.trim()
              : JSON.stringify(v);
    }
    records.push({ line, fields });
  });
  return { format: 'jsonl', columns: [...columns], records, unreadable };
}

function readCsv(source: string): ReadResult {
  const firstLineEnd = source.search(/\r?\n/);
  const headerLine = firstLineEnd < 0 ? source : source.slice(0, firstLineEnd);
  const delimiter = count(headerLine, ';') > count(headerLine, ',') ? ';' : ',';
  const records: DirectoryRecord[] = [];
  const unreadable: UnreadableRecord[] = [];
  let columns: string[] | undefined;

  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = (): void => {
    row.push(field);
    field = '';
    fieldStarted = false;
    const values = row;
    row = [];
    if (values.length === 1 && values[0].trim() === '') return;
    if (!columns) {
      columns = values.map((v) => v.trim());
      return;
    }
    if (values.length !== columns.length) {
      unreadable.push({
        line: rowLine,
        reason: `${values.length} fields where the header has ${columns.length}`,
      });
      return;
    }
    const fields: Record<string, string> = {};
    columns.forEach((name, i) => {
      fields[name] = (values[i] ?? '').trim();
    });
    records.push({ line: rowLine, fields });
  };

  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
      if (ch !== ' ' && ch !== '\t') fieldStarted = true;
    }
  }
  if (quoted) unreadable.push({ line: rowLine, reason: 'a quoted field is never closed' });
  else if (field !== '' || row.length) endRow();
  return { format: 'csv', columns: columns ?? [], records, unreadable };
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}
