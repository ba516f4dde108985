import { FormEvent } from 'react';

import { DataSourceSettings } from '@grafana/data';

import { AmpOptions, AmpSecureOptions } from '../../types';

/** The data source settings the editors edit. */
export type Settings = DataSourceSettings<AmpOptions, AmpSecureOptions>;

/** Props shared by the config editor's sections. */
export interface SectionProps {
  options: Settings;
  onOptionsChange: (options: Settings) => void;
}

/** Width of inputs on the settings page, in Grafana's 8 px grid units: fits an assume role ARN or a PEM line. */
export const WIDTH = 60;

/** Width of the inline labels, so the inputs of a section line up. */
export const LABEL_WIDTH = 30;

/** Widest the workspace URL gets, enough for a whole AMP endpoint (about 100 characters); narrower pages shrink it. */
export const URL_WIDTH = 96;

/** Width of short values: durations, numbers. */
export const SHORT_WIDTH = 20;

/** Writes one jsonData key; undefined removes it, so cleared fields do not linger in the saved JSON. */
export function withJsonData<K extends keyof AmpOptions>(options: Settings, key: K, value: AmpOptions[K]): Settings {
  const jsonData: Record<string, unknown> = { ...options.jsonData, [key]: value };
  if (value === undefined) {
    delete jsonData[key as string];
  }
  return { ...options, jsonData: jsonData as AmpOptions };
}

/**
 * Props for a SecretInput bound to a secureJsonData key, at the page's input width. Secrets are write-only: a saved
 * one shows as "configured" and can only be reset, which sends an empty value that replaces it on save.
 */
export function secretProps(section: SectionProps, key: keyof AmpSecureOptions & string) {
  return { ...secretBinding(section, key), width: WIDTH };
}

/** The value, change and reset props of a SecretInput or SecretTextArea bound to a secureJsonData key. */
export function secretBinding({ options, onOptionsChange }: SectionProps, key: keyof AmpSecureOptions & string) {
  return {
    isConfigured: Boolean(options.secureJsonFields?.[key]),
    value: options.secureJsonData?.[key] ?? '',
    onChange: (event: FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      onOptionsChange({
        ...options,
        secureJsonData: { ...options.secureJsonData, [key]: event.currentTarget.value },
      }),
    onReset: () =>
      onOptionsChange({
        ...options,
        secureJsonFields: { ...options.secureJsonFields, [key]: false },
        secureJsonData: { ...options.secureJsonData, [key]: '' },
      }),
  };
}
