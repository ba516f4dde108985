import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type { PromAnnotation } from '../annotations/annotation_support';
import type { DataSource } from '../datasource';
import dashboard from '../testing/prometheus_dashboard.json';

import { AnnotationQueryEditor } from './AnnotationQueryEditor';

// The annotation of a dashboard saved with Grafana's Prometheus data source.
const saved = dashboard.annotations.list[0] as unknown as PromAnnotation;

function renderEditor(annotation: PromAnnotation) {
  const onAnnotationChange = jest.fn<void, [PromAnnotation]>();
  render(
    <>
      <AnnotationQueryEditor
        datasource={{} as DataSource}
        query={{ refId: 'Anno', expr: '' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
        annotation={annotation}
        onAnnotationChange={onAnnotationChange}
      />
      <button>elsewhere</button>
    </>
  );
  return { onAnnotationChange, user: userEvent.setup() };
}

const field = (label: string) => screen.getByLabelText(new RegExp(`^${label}(?:$|[A-Z])`));

describe('AnnotationQueryEditor', () => {
  it('shows a saved Prometheus annotation', () => {
    renderEditor(saved);
    expect(screen.getByLabelText('Annotation PromQL query')).toHaveTextContent('ALERTS{alertstate="firing"}');
    expect(field('Min step')).toHaveValue('60s');
    expect(field('Title')).toHaveValue('{{alertname}}');
    expect(field('Text')).toHaveValue('{{instance}}');
    expect(field('Tags')).toHaveValue('job,severity');
    expect(field('Series value as timestamp')).not.toBeChecked();
  });

  it('writes the templates on the annotation itself, keeping the rest', async () => {
    const { onAnnotationChange, user } = renderEditor(saved);
    await user.clear(field('Title'));
    await user.type(field('Title'), 'Alert {{{{alertname}}');
    await user.tab();
    expect(onAnnotationChange).toHaveBeenLastCalledWith({
      ...saved,
      titleFormat: 'Alert {{alertname}}',
      target: { refId: 'Anno', expr: saved.expr },
    });
  });

  it('writes the PromQL on blur and the time switch at once', async () => {
    const { onAnnotationChange, user } = renderEditor({ ...saved, expr: '' });
    await user.type(screen.getByLabelText('Annotation PromQL query'), 'up == 0');
    await user.click(screen.getByText('elsewhere'));
    expect(onAnnotationChange).toHaveBeenLastCalledWith(expect.objectContaining({ expr: 'up == 0', target: { refId: 'Anno', expr: 'up == 0' } }));
    await user.click(field('Series value as timestamp'));
    expect(onAnnotationChange).toHaveBeenLastCalledWith(expect.objectContaining({ useValueForTime: true }));
  });
});
