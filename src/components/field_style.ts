import { CSSProperties } from 'react';

/**
 * A Field without its bottom margin, for rows of fields. Grafana 12 added `noMargin` for this, but Grafana 11.6's
 * Field does not know the prop (it only passes it to the DOM), so the margin is set through `style`, which both pass on.
 */
export const NO_MARGIN: CSSProperties = { marginBottom: 0 };
