import { from, map, Observable } from 'rxjs';

import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';

import { VariableQueryEditor } from '../components/VariableQueryEditor';
import type { DataSource } from '../datasource';
import { PromVariableQuery } from '../types';

/** Template variables: the query text is resolved through the plugin's resources for the dashboard range. */
export class AmpVariableSupport extends CustomVariableSupport<DataSource, PromVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<PromVariableQuery>): Observable<DataQueryResponse> {
    // Dashboards saved by older Grafana versions store the variable query as a bare string.
    const target = request.targets[0] as PromVariableQuery | string | undefined;
    const text = typeof target === 'string' ? target : (target?.query ?? '');
    return from(this.datasource.metricFindQuery(text, { range: request.range, scopedVars: request.scopedVars })).pipe(
      map((data) => ({ data }))
    );
  }
}
