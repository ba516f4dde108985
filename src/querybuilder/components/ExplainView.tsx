import React, { useMemo } from 'react';

import { Box, Stack, Text, useTheme2 } from '@grafana/ui';

import { ExplainNode, explainTree, summarize } from '../explain';
import { BuilderQuery } from '../model';

function NodeView({ node }: { node: ExplainNode }) {
  const theme = useTheme2();
  const branch = { listStyle: 'none', margin: theme.spacing(0.5, 0, 0, 0.5), paddingLeft: theme.spacing(2), borderLeft: `1px solid ${theme.colors.border.medium}` };
  return (
    <li>
      <Stack direction="column" gap={0}>
        <Text weight="medium">{node.title}</Text>
        <Text>{node.sentence}</Text>
        <Text variant="code" color="secondary">
          {node.promql}
        </Text>
      </Stack>
      {node.children.length > 0 && (
        <ul style={branch}>
          {node.children.map((c, i) => (
            <NodeView key={i} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Explain: the whole query in one sentence, then its parts as a tree, outermost first. */
export function ExplainView({ query }: { query: BuilderQuery }) {
  const [summary, tree] = useMemo(() => [summarize(query), explainTree(query)], [query]);
  return (
    <Box padding={1} borderStyle="solid" borderColor="weak" borderRadius="default">
      <section aria-label="Explain">
        <Stack direction="column" gap={1}>
          <Text italic>{summary}</Text>
          <ul style={{ listStyle: 'none', paddingLeft: 0, margin: 0 }}>
            <NodeView node={tree} />
          </ul>
        </Stack>
      </section>
    </Box>
  );
}
