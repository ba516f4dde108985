// react-inlinesvg fetches icon files asynchronously and updates state after the test's act() scope, which only
// produces warnings in jsdom. This stand-in renders an empty <svg> at once, keeping the caller's attributes.
'use strict';

const React = require('react');

function InlineSVG(props) {
  const {
    src,
    title,
    innerRef,
    cacheRequests,
    description,
    fetchOptions,
    loader,
    onError,
    onLoad,
    preProcessor,
    uniqueHash,
    uniquifyIDs,
    baseURL,
    ...svgProps
  } = props;
  return React.createElement('svg', { ...svgProps, ref: innerRef, 'data-src': src }, title);
}

module.exports = { __esModule: true, default: InlineSVG };
