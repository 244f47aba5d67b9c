/**
 * The yardstick for bench/kb.ts: textbook Okapi BM25 (k1 = 1.2, b = 0.75) over one text per
 * document, lowercase alphanumeric tokens, no stemming, no stop words, no boosts.
 */
export interface Bm25Document {
  id: string;
  text: string;
}

const K1 = 1.2;
const B = 0.75;

function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export class Bm25Index {
  private readonly postings = new Map<string, Array<{ doc: number; tf: number }>>();
  private readonly lengths: number[] = [];
  private readonly ids: string[] = [];
  private averageLength = 0;

  constructor(documents: Iterable<Bm25Document>) {
    let total = 0;
    for (const document of documents) {
      const doc = this.ids.length;
      this.ids.push(document.id);
      const tokens = tokenize(document.text);
      this.lengths.push(tokens.length);
      total += tokens.length;
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc, tf });
      }
    }
    this.averageLength = this.ids.length ? total / this.ids.length : 0;
  }

  search(query: string, limit: number): Array<{ id: string; score: number }> {
    const n = this.ids.length;
    const scores = new Map<number, number>();
    for (const term of new Set(tokenize(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = tf + K1 * (1 - B + (B * this.lengths[doc]) / this.averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([doc, score]) => ({ id: this.ids[doc], score }));
  }
}
