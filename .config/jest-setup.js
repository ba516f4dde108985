// Adds the DOM matchers (toBeInTheDocument, toHaveValue, ...) to expect.
require('@testing-library/jest-dom');
