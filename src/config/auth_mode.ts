import { DataSourceSettings } from '@grafana/data';

import { AmpOptions, AmpSecureOptions, SigV4AuthType } from '../types';

type Settings = DataSourceSettings<AmpOptions, AmpSecureOptions>;

/** How requests are authenticated. Exactly one mode is active; the backend rejects combinations with SigV4. */
export type AuthMode = 'sigv4' | 'none' | 'basic' | 'header';

/** Position (1-based) of the custom header named Authorization, or undefined. */
export function authorizationHeaderIndex(jsonData: AmpOptions): number | undefined {
  for (let i = 1; jsonData[`httpHeaderName${i}`] !== undefined; i++) {
    if (jsonData[`httpHeaderName${i}`]?.toLowerCase() === 'authorization') {
      return i;
    }
  }
  return undefined;
}

/** Reads the active mode. SigV4 is on unless switched off explicitly, as the backend treats a missing flag. */
export function authModeOf(options: Settings): AuthMode {
  const jd = options.jsonData;
  if (jd.sigV4Auth !== false) {
    return 'sigv4';
  }
  if (options.basicAuth || jd.basicAuth) {
    return 'basic';
  }
  return authorizationHeaderIndex(jd) !== undefined ? 'header' : 'none';
}

function withoutAuthorizationHeader(options: Settings): Settings {
  const index = authorizationHeaderIndex(options.jsonData);
  if (index === undefined) {
    return options;
  }
  const jsonData = { ...options.jsonData };
  const nameKey = `httpHeaderName${index}` as const;
  const valueKey = `httpHeaderValue${index}` as const;
  if (jsonData[`httpHeaderName${index + 1}`] === undefined) {
    delete jsonData[nameKey];
  } else {
    // The backend reads headers 1, 2, ... until a name is missing; an empty name keeps the later ones readable.
    jsonData[nameKey] = '';
  }
  return {
    ...options,
    jsonData,
    secureJsonData: { ...options.secureJsonData, [valueKey]: '' },
    secureJsonFields: { ...options.secureJsonFields, [valueKey]: false },
  };
}

function withAuthorizationHeader(options: Settings): Settings {
  if (authorizationHeaderIndex(options.jsonData) !== undefined) {
    return options;
  }
  let index = 1;
  while (options.jsonData[`httpHeaderName${index}`]) {
    index++;
  }
  return { ...options, jsonData: { ...options.jsonData, [`httpHeaderName${index}`]: 'Authorization' } };
}

/** Switches to a mode and clears what belongs to the others, so exactly one is active when saved. */
export function setAuthMode(options: Settings, mode: AuthMode, defaultProvider: SigV4AuthType = 'default'): Settings {
  let next: Settings = {
    ...options,
    basicAuth: mode === 'basic',
    jsonData: { ...options.jsonData, sigV4Auth: mode === 'sigv4' },
  };
  if (next.jsonData.basicAuth !== undefined) {
    next.jsonData.basicAuth = mode === 'basic';
  }
  if (mode === 'sigv4' && !next.jsonData.sigV4AuthType) {
    next.jsonData.sigV4AuthType = defaultProvider;
  }
  next = mode === 'header' ? withAuthorizationHeader(next) : withoutAuthorizationHeader(next);
  return next;
}
