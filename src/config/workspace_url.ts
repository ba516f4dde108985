/** What a workspace URL says about where requests go. */
export interface ParsedWorkspaceUrl {
  /** The URL is an absolute http(s) URL. */
  valid: boolean;
  /** AWS region named by the host, if it is an AWS endpoint. */
  region?: string;
  /** SigV4 service the host expects: `aps` for AMP (including VPC endpoints), `monitoring` for CloudWatch. */
  service?: 'aps' | 'monitoring';
  /** AMP workspace id from the path. */
  workspaceId?: string;
}

const AMP_HOST = /^aps-workspaces(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const AMP_VPC_HOST = /^vpce-[a-z0-9-]+\.aps-workspaces(?:-fips)?\.([a-z0-9-]+)\.vpce\.amazonaws\.com(?:\.cn)?$/;
const MONITORING_HOST = /^monitoring(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const WORKSPACE_PATH = /\/workspaces\/([A-Za-z0-9-]+)/;

/** The same rule the backend applies to `sigV4Region`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** API paths users paste with the workspace URL; the plugin appends API paths itself. */
const API_SUFFIXES = ['/api/v1/query_range', '/api/v1/query'];

/** Parses a data source URL the way the backend does (models/endpoint.go). */
export function parseWorkspaceUrl(raw: string | undefined): ParsedWorkspaceUrl {
  let url: URL;
  try {
    url = new URL((raw ?? '').trim());
  } catch {
    return { valid: false };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    return { valid: false };
  }
  const host = url.hostname.toLowerCase();
  const out: ParsedWorkspaceUrl = { valid: true };
  const amp = AMP_HOST.exec(host) ?? AMP_VPC_HOST.exec(host);
  const monitoring = MONITORING_HOST.exec(host);
  if (amp) {
    out.region = amp[1];
    out.service = 'aps';
  } else if (monitoring) {
    out.region = monitoring[1];
    out.service = 'monitoring';
  }
  const ws = WORKSPACE_PATH.exec(url.pathname);
  if (ws) {
    out.workspaceId = ws[1];
  }
  return out;
}

/** The result of normalising a URL typed or pasted by the user. */
export interface NormalisedUrl {
  url: string;
  /** The API suffix that was removed, if any. */
  stripped?: string;
}

/** Trims the URL and strips a pasted `/api/v1/query` or `/api/v1/query_range`, keeping a trailing slash. */
export function normaliseWorkspaceUrl(raw: string): NormalisedUrl {
  const url = raw.trim();
  const withoutQuery = url.replace(/[?#].*$/, '');
  const path = withoutQuery.replace(/\/+$/, '');
  for (const suffix of API_SUFFIXES) {
    if (path.endsWith(suffix)) {
      return { url: path.slice(0, -suffix.length) + '/', stripped: suffix };
    }
  }
  return { url };
}

/** The documented endpoint of a workspace, used when DescribeWorkspace is not available. */
export function workspaceUrlTemplate(region: string, id: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://aps-workspaces.${region}.${suffix}/workspaces/${id}/`;
}
