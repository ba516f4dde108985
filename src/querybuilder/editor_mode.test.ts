import { editorView, initialEditorMode } from './editor_mode';

describe('initialEditorMode', () => {
  it.each([
    [{ expr: 'up', editorMode: 'builder' }, undefined, 'builder'],
    [{ expr: '', editorMode: 'code' }, 'builder', 'code'],
    [{ expr: 'up' }, 'builder', 'code'],
    [{ expr: '' }, 'code', 'code'],
    [{ expr: '' }, 'builder', 'builder'],
    [{}, undefined, 'builder'],
  ])('%j with defaultEditor %s opens in %s', (query, defaultEditor, mode) => {
    expect(initialEditorMode(query, defaultEditor)).toBe(mode);
  });
});

describe('editorView', () => {
  it('shows the builder when the query fits', () => {
    expect(editorView('rate(x[5m])', 'builder')).toMatchObject({ mode: 'builder', query: { selector: { metric: 'x' } } });
  });

  it('falls back to code with the reason when it does not', () => {
    expect(editorView('x offset 1h', 'builder')).toEqual({ mode: 'code', reason: 'offset modifiers are only available in Code mode' });
  });

  it('stays in code when asked', () => {
    expect(editorView('rate(x[5m])', 'code')).toEqual({ mode: 'code' });
  });
});
