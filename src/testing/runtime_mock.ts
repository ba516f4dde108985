import { NEVER } from 'rxjs';

import { BackendSrvRequest } from '@grafana/runtime';

/**
 * State of the @grafana/runtime stand-in used by the config editor's tests. A test file installs it with
 * `jest.mock('@grafana/runtime', () => jest.requireActual(<this module>).runtimeModule())` and resets it with
 * `beforeEach(resetRuntimeMock)`; tests change `mockConfig` before rendering and answer `mockFetch`.
 */
export const mockConfig: { awsAllowedAuthProviders: string[]; bootData: { settings: Record<string, unknown> } } = {
  awsAllowedAuthProviders: [],
  bootData: { settings: {} },
};
export const mockFetch = jest.fn();

/** The mocked module: the real one with Grafana's boot config and backend service replaced. */
export function runtimeModule() {
  return {
    ...jest.requireActual('@grafana/runtime'),
    get config() {
      return mockConfig;
    },
    getBackendSrv: () => ({ fetch: (request: BackendSrvRequest) => mockFetch(request) }),
  };
}

/** Grafana's defaults: every auth provider allowed, assume role on, and no answer to backend calls yet. */
export function resetRuntimeMock() {
  mockConfig.awsAllowedAuthProviders = ['default', 'keys', 'credentials', 'ec2_iam_role', 'grafana_assume_role'];
  mockConfig.bootData = { settings: { awsAssumeRoleEnabled: true } };
  mockFetch.mockReset();
  // The picker asks for regions on mount; unless a test answers, the request stays pending.
  mockFetch.mockReturnValue(NEVER);
}
