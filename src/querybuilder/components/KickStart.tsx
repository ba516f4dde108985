import React from 'react';

import { Button, Card, Modal, Text } from '@grafana/ui';

import { BuilderQuery, Selector } from '../model';
import { PATTERNS } from '../patterns';
import { renderQuery } from '../render';

interface Props {
  selector: Selector;
  onUse: (query: BuilderQuery) => void;
  onDismiss: () => void;
}

/** Kick start: common query shapes, previewed on the current metric, that replace the builder's query. */
export function KickStart({ selector, onUse, onDismiss }: Props) {
  const base = selector.metric ? selector : { ...selector, metric: 'metric_name' };
  return (
    <Modal title="Kick start your query" isOpen onDismiss={onDismiss}>
      {PATTERNS.map((p) => {
        const query = p.apply(base);
        return (
          <Card key={p.name}>
            <Card.Heading>{p.name}</Card.Heading>
            <Card.Description>
              {p.description}
              <br />
              <Text variant="code">{renderQuery(query)}</Text>
            </Card.Description>
            <Card.Actions>
              <Button size="sm" aria-label={`Use ${p.name}`} onClick={() => onUse(query)}>
                Use this query
              </Button>
            </Card.Actions>
          </Card>
        );
      })}
    </Modal>
  );
}
