import { config } from '@grafana/runtime';

import { SigV4AuthType } from '../types';

/** Grafana's default `[aws] allowed_auth_providers`. */
export const DEFAULT_ALLOWED_PROVIDERS: SigV4AuthType[] = ['default', 'keys', 'credentials'];

const KNOWN: SigV4AuthType[] = ['default', 'keys', 'credentials', 'ec2_iam_role', 'grafana_assume_role'];

/**
 * The SigV4 credential providers this Grafana server allows (`[aws] allowed_auth_providers`, sent to the browser
 * as `awsAllowedAuthProviders`). The backend rejects any other provider, so the editor offers only these. Older
 * or embedded builds that send no list get Grafana's default.
 */
export function allowedAuthProviders(): SigV4AuthType[] {
  const list = (config.awsAllowedAuthProviders ?? []).filter((p): p is SigV4AuthType =>
    KNOWN.includes(p as SigV4AuthType)
  );
  return list.length ? list : DEFAULT_ALLOWED_PROVIDERS;
}

/**
 * Whether `[aws] assume_role_enabled` is on. Grafana sends it in the boot data; when it is missing (embedded or
 * test setups) Grafana's default, on, applies. The runtime's `config.awsAssumeRoleEnabled` cannot tell "missing"
 * from "off", so the boot data is read.
 */
export function assumeRoleEnabled(): boolean {
  const sent = (config.bootData?.settings as { awsAssumeRoleEnabled?: unknown } | undefined)?.awsAssumeRoleEnabled;
  return typeof sent === 'boolean' ? sent : true;
}
