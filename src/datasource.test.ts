import { DataSourceInstanceSettings, PluginType, ScopedVars } from '@grafana/data';

import { DataSource } from './datasource';
import { AmpOptions, PromQuery } from './types';

// A stand-in for Grafana's template service with the same substitution rules for `$name` and `${name}`:
// scoped variables first (that is how the panel's $__interval arrives), then dashboard variables.
const mockDashboardVariables: Record<string, string> = { job: 'node', instance: 'host:9100', step: '30s' };

function mockReplace(text: string, scopedVars?: ScopedVars): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced, bare) => {
    const name = braced ?? bare;
    const scoped = scopedVars?.[name];
    if (scoped) {
      return String(scoped.value);
    }
    return mockDashboardVariables[name] ?? match;
  });
}

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ replace: mockReplace }),
}));

const MACROS = [
  '__interval',
  '__interval_ms',
  '__rate_interval',
  '__rate_interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
];

// What a dashboard panel passes: every macro has a value the template service would substitute.
const scopedVars: ScopedVars = Object.fromEntries(MACROS.map((name) => [name, { text: 'X', value: 'SCOPED' }]));

function newDataSource(): DataSource {
  const settings: DataSourceInstanceSettings<AmpOptions> = {
    id: 1,
    uid: 'amp',
    type: 'grafana-amazonprometheus-datasource',
    name: 'AMP',
    access: 'proxy',
    readOnly: false,
    jsonData: { sigV4Auth: true },
    meta: {
      id: 'grafana-amazonprometheus-datasource',
      name: 'AMP',
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
      info: {
        author: { name: '' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
  return new DataSource(settings);
}

const query = (over: Partial<PromQuery>): PromQuery => ({ refId: 'A', expr: 'up', ...over });

describe('DataSource', () => {
  it('takes exactly one constructor argument', () => {
    expect(DataSource.length).toBe(1);
  });

  describe('applyTemplateVariables', () => {
    it('substitutes dashboard variables in expr, legendFormat and interval', () => {
      const out = newDataSource().applyTemplateVariables(
        query({ expr: 'up{job="$job"}', legendFormat: '{{pod}} ${instance}', interval: '$step', format: 'table' }),
        scopedVars
      );
      expect(out).toEqual({
        refId: 'A',
        expr: 'up{job="node"}',
        legendFormat: '{{pod}} host:9100',
        interval: '30s',
        format: 'table',
      });
    });

    it('the fake template service would substitute the macros if they were not protected', () => {
      expect(mockReplace('$__interval ${__range_ms}', scopedVars)).toBe('SCOPED SCOPED');
    });

    it.each(MACROS.flatMap((name) => [`$${name}`, `\${${name}}`]))('keeps %s literal in every field', (macro) => {
      const out = newDataSource().applyTemplateVariables(
        query({ expr: `rate(x{job="$job"}[${macro}])`, legendFormat: `${macro} $job`, interval: macro }),
        scopedVars
      );
      expect(out.expr).toBe(`rate(x{job="node"}[${macro}])`);
      expect(out.legendFormat).toBe(`${macro} node`);
      expect(out.interval).toBe(macro);
    });

    it('leaves absent optional fields absent', () => {
      const out = newDataSource().applyTemplateVariables(query({ expr: '$job' }), {});
      expect(out.expr).toBe('node');
      expect(out.legendFormat).toBeUndefined();
      expect(out.interval).toBeUndefined();
    });
  });

  describe('filterQuery', () => {
    it.each<{ name: string; over: Partial<PromQuery>; kept: boolean }>([
      { name: 'a visible query with PromQL', over: { expr: 'up' }, kept: true },
      { name: 'a hidden query', over: { expr: 'up', hide: true }, kept: false },
      { name: 'an empty expr', over: { expr: '' }, kept: false },
      { name: 'a whitespace-only expr', over: { expr: '  \n' }, kept: false },
      { name: 'a missing expr', over: { expr: undefined as unknown as string }, kept: false },
    ])('$name is kept: $kept', ({ over, kept }) => {
      expect(newDataSource().filterQuery(query(over))).toBe(kept);
    });
  });

  it('defaults new queries to range queries', () => {
    expect(newDataSource().getDefaultQuery()).toEqual({ expr: '', range: true, instant: false });
  });
});
