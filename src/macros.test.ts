import { BACKEND_MACROS, interpolateKeepingMacros } from './macros';

// Replaces every `$word` and `${word}` (a crude template service) so any macro that is not protected changes.
const replaceAll = (text: string) => text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, braced, bare) => `<${braced ?? bare}>`);

describe('interpolateKeepingMacros', () => {
  it('substitutes ordinary variables', () => {
    expect(interpolateKeepingMacros('up{job="$job"} + ${other}', replaceAll)).toBe('up{job="<job>"} + <other>');
  });

  it.each(BACKEND_MACROS.flatMap((name) => [`$${name}`, `\${${name}}`]))('keeps %s literal', (macro) => {
    const text = `rate(x[${macro}]) / ${macro} and $job`;
    expect(interpolateKeepingMacros(text, replaceAll)).toBe(`rate(x[${macro}]) / ${macro} and <job>`);
  });

  it('does not treat a longer variable name as a macro', () => {
    expect(interpolateKeepingMacros('$__intervalx $__range_sx', replaceAll)).toBe('<__intervalx> <__range_sx>');
  });

  it('keeps the macro that ends right before another character', () => {
    expect(interpolateKeepingMacros('$__interval)$__range_ms]', replaceAll)).toBe('$__interval)$__range_ms]');
  });

  it('calls the replacer once and returns its output when no macro is present', () => {
    const replace = jest.fn((t: string) => t.toUpperCase());
    expect(interpolateKeepingMacros('sum(up)', replace)).toBe('SUM(UP)');
    expect(replace).toHaveBeenCalledTimes(1);
  });
});
