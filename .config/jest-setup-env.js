// Browser APIs that jsdom lacks but Grafana's packages touch while they load or render.
'use strict';

const { TextDecoder, TextEncoder } = require('util');

if (typeof globalThis.TextEncoder === 'undefined') {
  globalThis.TextEncoder = TextEncoder;
  globalThis.TextDecoder = TextDecoder;
}

if (typeof window !== 'undefined') {
  if (!window.matchMedia) {
    Object.defineProperty(window, 'matchMedia', {
      writable: true,
      value: (query) => ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }),
    });
  }

  // Text measuring in @grafana/ui asks for a 2D context; jsdom has no canvas implementation and would log an
  // error and return null.
  HTMLCanvasElement.prototype.getContext = function getContext() {
    return {
      font: '',
      measureText: (text) => ({ width: String(text).length * 7 }),
      fillText: () => {},
      fillRect: () => {},
      clearRect: () => {},
    };
  };

  // CodeMirror measures text through Range rectangles; jsdom does no layout, so every rectangle is empty.
  const emptyRect = () => ({ x: 0, y: 0, top: 0, left: 0, bottom: 0, right: 0, width: 0, height: 0 });
  const emptyRectList = () => Object.assign([], { item: () => null });
  if (!Range.prototype.getClientRects) {
    Range.prototype.getClientRects = emptyRectList;
    Range.prototype.getBoundingClientRect = emptyRect;
  }

  // Layout observers used by Select menus and scroll containers; jsdom does no layout, so they never fire.
  if (!window.ResizeObserver) {
    window.ResizeObserver = class ResizeObserver {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
  if (!window.IntersectionObserver) {
    window.IntersectionObserver = class IntersectionObserver {
      observe() {}
      unobserve() {}
      disconnect() {}
      takeRecords() {
        return [];
      }
    };
  }
}
