import React, { useEffect, useMemo, useRef } from 'react';
import { lastValueFrom } from 'rxjs';

import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { BackendSrvRequest, getBackendSrv } from '@grafana/runtime';
import { Alert } from '@grafana/ui';

import { allowedAuthProviders } from '../config/aws_settings';
import { ResourceCaller, ResourceClient } from '../resources/resource_client';
import { AmpOptions, AmpSecureOptions } from '../types';

import { AdvancedHttpSection } from './config/AdvancedHttpSection';
import { AlertingSection } from './config/AlertingSection';
import { AuthSection } from './config/AuthSection';
import { ConfigHeader, MigrationNotice } from './config/ConfigHeader';
import { ConnectionSection } from './config/ConnectionSection';
import { OtherSection } from './config/OtherSection';
import { QuerySection } from './config/QuerySection';
import { Settings } from './config/settings_props';
import { WorkspaceSection } from './config/WorkspaceSection';

type Props = DataSourcePluginOptionsEditorProps<AmpOptions, AmpSecureOptions>;

/** The message the workspace picker shows while credentials are unsaved. */
export const SAVE_FIRST = 'Save the data source to load workspaces';

const SIGV4_SECRETS = ['sigV4AccessKey', 'sigV4SecretKey', 'sigV4SessionToken'] as const;

/**
 * The settings that decide which AWS identity the backend uses for workspace discovery. Missing values are read
 * the way the backend reads them, so the mount-time defaults below do not count as a change.
 */
export function authFingerprint(options: Settings): string {
  const jd = options.jsonData;
  return JSON.stringify([
    jd.sigV4Auth !== false,
    jd.sigV4AuthType || 'default',
    jd.sigV4Profile ?? '',
    jd.sigV4AssumeRoleArn ?? '',
    jd.sigV4ExternalId ?? '',
    SIGV4_SECRETS.map((k) =>
      options.secureJsonData?.[k] !== undefined ? `new:${options.secureJsonData[k]}` : Boolean(options.secureJsonFields?.[k])
    ),
  ]);
}

/** Resource calls for the data source being edited; the picker asks the backend, never AWS directly. */
function resourceCaller(uid: string): ResourceCaller {
  const call = async <T,>(request: BackendSrvRequest): Promise<T> => {
    const response = await lastValueFrom(getBackendSrv().fetch<T>(request));
    return response.data;
  };
  const url = (path: string) => `/api/datasources/uid/${uid}/resources/${path}`;
  return {
    getResource: <T,>(path: string, _params?: undefined, options?: Partial<BackendSrvRequest>) =>
      call<T>({ ...options, method: 'GET', url: url(path) }),
    postResource: <T,>(path: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      call<T>({ ...options, method: 'POST', url: url(path), data }),
  };
}

/**
 * Settings page, laid out like Grafana's own data source pages: a header with the documentation link, then the
 * sections Connection, Authentication, Workspace (the picker needs the credentials above it), Query, Alerting,
 * and the collapsible Advanced HTTP settings and Other.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;

  // SigV4 is what AMP needs, and the backend assumes it when the flag is missing; writing it out on mount makes
  // the saved JSON say so. The ref keeps React's development double-invoked effects from reporting it twice.
  const initialised = useRef(false);
  useEffect(() => {
    if (initialised.current) {
      return;
    }
    initialised.current = true;
    if (jsonData.sigV4Auth === undefined || (jsonData.sigV4Auth && !jsonData.sigV4AuthType)) {
      onOptionsChange({
        ...options,
        jsonData: { ...jsonData, sigV4Auth: true, sigV4AuthType: jsonData.sigV4AuthType || allowedAuthProviders()[0] },
      });
    }
    // Only on mount: later changes arrive through the sections' handlers.
  }, []);

  // What the backend has: captured on mount and again after every save (Grafana bumps the version).
  const saved = useRef({ version: options.version, auth: authFingerprint(options) });
  if (options.version !== saved.current.version) {
    saved.current = { version: options.version, auth: authFingerprint(options) };
  }
  const authChanged = authFingerprint(options) !== saved.current.auth;

  const resources = useMemo(() => new ResourceClient(resourceCaller(options.uid), 'GET'), [options.uid]);

  const sigv4 = jsonData.sigV4Auth !== false;
  const section = { options, onOptionsChange };

  return (
    <>
      <ConfigHeader />
      {options.access === 'direct' && (
        <Alert severity="error" title="Browser access mode is not supported">
          Amazon Managed Service for Prometheus requests must be signed by the Grafana server. Switch the access mode
          to Server (proxy).
        </Alert>
      )}
      {jsonData['prometheus-type-migration'] && <MigrationNotice jsonData={jsonData} />}
      <ConnectionSection {...section} />
      <AuthSection {...section} />
      {sigv4 && (
        <WorkspaceSection {...section} resources={resources} disabledReason={authChanged ? SAVE_FIRST : undefined} />
      )}
      <QuerySection {...section} />
      <AlertingSection {...section} />
      <AdvancedHttpSection {...section} />
      <OtherSection {...section} />
    </>
  );
}
