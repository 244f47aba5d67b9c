/**
 * The Markdown that knowledge-base articles are written in, as HTML: headings, paragraphs,
 * bulleted and numbered lists (one level of nesting), tables, fenced code, and inline code,
 * bold, italics and http(s) links. Everything is escaped first; the only elements in the output
 * are the ones written here, so an article cannot carry markup, scripts or other link schemes.
 */
export function articleHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith(fence[1] ?? '```')) {
        code.push(lines[i] ?? '');
        i++;
      }
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      // The page's own title is the h1: article headings start at h2.
      const level = Math.min(6, Math.max(2, (heading[1] ?? '').length));
      out.push(`<h${level}>${inline(heading[2] ?? '')}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i] ?? '')) rows.push(lines[i++] ?? '');
      out.push(table(rows));
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      while (
        i < lines.length &&
        (lines[i] ?? '').trim() &&
        (LIST_ITEM.test(lines[i] ?? '') || /^\s{2,}\S/.test(lines[i] ?? ''))
      ) {
        items.push(lines[i++] ?? '');
      }
      out.push(list(items));
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() && !startsBlock(lines[i] ?? '')) {
      paragraph.push((lines[i++] ?? '').trim());
    }
    out.push(`<p>${inline(paragraph.join(' '))}</p>`);
  }
  return out.join('\n');
}

const LIST_ITEM = /^(\s*)([-*+]|\d{1,3}[.)])\s+/;

function startsBlock(line: string): boolean {
  return /^\s*(```|~~~|#{1,6}\s|\|)/.test(line) || LIST_ITEM.test(line);
}

/** Items of one list; lines indented under an item are its own sub-list or its continuation. */
function list(lines: string[]): string {
  const baseIndent = (LIST_ITEM.exec(lines[0] ?? '')?.[1] ?? '').length;
  const ordered = /\d/.test(LIST_ITEM.exec(lines[0] ?? '')?.[2] ?? '');
  const items: Array<{ text: string; children: string[] }> = [];
  for (const line of lines) {
    const match = LIST_ITEM.exec(line);
    const indent = match ? (match[1] ?? '').length : Infinity;
    if (match && indent <= baseIndent) {
      items.push({ text: line.slice(match[0].length).trim(), children: [] });
    } else {
      const last = items[items.length - 1];
      if (!last) continue;
      if (match) last.children.push(line);
      else last.text += ` ${line.trim()}`;
    }
  }
  const tag = ordered ? 'ol' : 'ul';
  const body = items
    .map((item) => `<li>${inline(item.text)}${item.children.length ? list(item.children) : ''}</li>`)
    .join('');
  return `<${tag}>${body}</${tag}>`;
}

function table(rows: string[]): string {
  const cells = (row: string): string[] =>
    row
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim());
  const separator = (row: string): boolean => /^\s*\|?\s*:?-{2,}/.test(row);
  const [head, maybeSeparator, ...rest] = rows;
  const hasHead = head !== undefined && maybeSeparator !== undefined && separator(maybeSeparator);
  const bodyRows = (hasHead ? rest : rows).filter((row) => !separator(row));
  const headHtml = hasHead
    ? `<thead><tr>${cells(head)
        .map((c) => `<th scope="col">${inline(c)}</th>`)
        .join('')}</tr></thead>`
    : '';
  const bodyHtml = bodyRows
    .map(
      (row) =>
        `<tr>${cells(row)
          .map((c) => `<td>${inline(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<div class="table"><table>${headHtml}<tbody>${bodyHtml}</tbody></table></div>`;
}

/** Inline Markdown of one block: code spans are taken as they are, the rest is escaped then marked up. */
function inline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : emphasis(escapeHtml(part)),
    )
    .join('');
}

function emphasis(escaped: string): string {
  return escaped
    .replace(
      /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g,
      (_whole, label: string, href: string) => `<a href="${href}" rel="noopener noreferrer">${label}</a>`,
    )
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>')
    .replace(/(^|[^*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\*)/g, '$1<em>$2</em>');
}

/** Text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
