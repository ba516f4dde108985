import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import { DataSourceSettings } from '@grafana/data';

import { ConfigEditor } from '../components/ConfigEditor';
import { AmpOptions, AmpSecureOptions } from '../types';

/** Test helpers for the config editor's tests, which mock @grafana/runtime's config and backend service. */
export type Settings = DataSourceSettings<AmpOptions, AmpSecureOptions>;

export const AMP_URL = 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1234/';

export function settings(over: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'amp',
    orgId: 1,
    name: 'AMP',
    type: 'grafana-amazonprometheus-datasource',
    typeName: 'Amazon Managed Service for Prometheus',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: {},
    secureJsonFields: {},
    version: 1,
    ...over,
  };
}

/** Holds the settings in state like Grafana's settings page does, and records every change. */
export function renderEditor(initial: Settings) {
  const onOptionsChange = jest.fn<void, [Settings]>();
  let setFromTest: (s: Settings) => void = () => {};
  function Harness() {
    const [options, setOptions] = useState(initial);
    setFromTest = setOptions;
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          onOptionsChange(next);
          setOptions(next);
        }}
      />
    );
  }
  const utils = render(<Harness />);
  const last = () => onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0];
  // What Grafana does after Save: the stored settings come back with a new version and secrets only as flags.
  const save = () => {
    const current = last();
    const secureJsonFields = { ...current.secureJsonFields };
    for (const [k, v] of Object.entries(current.secureJsonData ?? {})) {
      secureJsonFields[k] = Boolean(v);
    }
    act(() => setFromTest({ ...current, version: (current.version ?? 0) + 1, secureJsonData: {}, secureJsonFields }));
  };
  return { ...utils, onOptionsChange, last, save, user: userEvent.setup() };
}

export type User = ReturnType<typeof userEvent.setup>;

/**
 * The control labelled `text`. Grafana's Field puts the description inside the label, right after the text, and
 * descriptions start with a capital letter; an inline field of a required setting adds " *".
 */
export function byLabel(text: string): HTMLElement {
  return screen.getByLabelText(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[A-Z]| \\*$)`));
}

export async function choose(user: User, label: string, option: string) {
  await user.click(byLabel(label));
  await user.click(await screen.findByText(option));
}

// What the mount effect turns empty jsonData into.
export const MOUNTED_JSON: AmpOptions = { sigV4Auth: true, sigV4AuthType: 'default' };
