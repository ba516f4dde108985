import React, { ReactNode } from 'react';

import { Box, CollapsableSection, Stack, Text } from '@grafana/ui';

interface Props {
  title: string;
  description?: ReactNode;
  /** Advanced sections start closed unless one of their settings is set. */
  collapsible?: boolean;
  initiallyOpen?: boolean;
  children: ReactNode;
}

function Heading({ title, description, level }: { title: string; description?: ReactNode; level: 'h3' | 'h4' }) {
  return (
    <Stack direction="column" gap={0.5}>
      <Text element={level}>{title}</Text>
      {description && (
        <Text color="secondary" variant="bodySmall">
          {description}
        </Text>
      )}
    </Stack>
  );
}

/** A titled section of the settings page, as Grafana's own data source pages lay them out. */
export function ConfigSection({ title, description, collapsible, initiallyOpen = true, children }: Props) {
  if (collapsible) {
    return (
      <Box marginBottom={2} data-testid={`section ${title}`}>
        <CollapsableSection label={<Heading title={title} description={description} level="h3" />} isOpen={initiallyOpen}>
          {children}
        </CollapsableSection>
      </Box>
    );
  }
  return (
    <Box element="section" marginBottom={4} data-testid={`section ${title}`}>
      <Box marginBottom={2}>
        <Heading title={title} description={description} level="h3" />
      </Box>
      {children}
    </Box>
  );
}

/** A titled group inside a section. */
export function ConfigSubSection({ title, description, children }: Omit<Props, 'collapsible' | 'initiallyOpen'>) {
  return (
    <Box marginTop={2} marginBottom={1}>
      <Box marginBottom={1}>
        <Heading title={title} description={description} level="h4" />
      </Box>
      {children}
    </Box>
  );
}
