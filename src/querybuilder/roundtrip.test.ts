import corpus from './testdata/roundtrip.json';

import { parsePromQL } from './parse';
import { renderQuery } from './render';

interface Entry {
  source: string;
  expr: string;
  rendered?: string;
  unsupported?: string;
}

const entries = (corpus.queries as Entry[]).map((e) => [e.source, e] as const);

describe('round trip code -> builder -> code', () => {
  it('has at least 40 real-world queries the builder represents', () => {
    expect(entries.filter(([, e]) => !e.unsupported).length).toBeGreaterThanOrEqual(40);
  });

  it.each(entries)('%s', (_source, entry) => {
    const parsed = parsePromQL(entry.expr);
    if (entry.unsupported) {
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.reason).toContain(entry.unsupported);
      return;
    }
    if (!parsed.ok) {
      throw new Error(parsed.reason);
    }
    const rendered = renderQuery(parsed.query);
    expect(rendered).toBe(entry.rendered ?? entry.expr);
    // A listed equivalent form only lists a real difference, and the builder's own output is stable.
    expect(entry.rendered).not.toBe(entry.expr);
    const again = parsePromQL(rendered);
    expect(again.ok && renderQuery(again.query)).toBe(rendered);
    expect(again.ok && again.query).toEqual(parsed.query);
  });
});
