import { normaliseWorkspaceUrl, parseWorkspaceUrl, workspaceUrlTemplate } from './workspace_url';

describe('parseWorkspaceUrl', () => {
  it.each([
    ['https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1a2b/', { valid: true, region: 'us-west-2', service: 'aps', workspaceId: 'ws-1a2b' }],
    ['https://aps-workspaces-fips.us-gov-west-1.amazonaws.com/workspaces/ws-x', { valid: true, region: 'us-gov-west-1', service: 'aps', workspaceId: 'ws-x' }],
    ['https://aps-workspaces.cn-north-1.amazonaws.com.cn/workspaces/ws-c/', { valid: true, region: 'cn-north-1', service: 'aps', workspaceId: 'ws-c' }],
    ['https://vpce-0abc-1x.aps-workspaces.eu-west-1.vpce.amazonaws.com/workspaces/ws-v/', { valid: true, region: 'eu-west-1', service: 'aps', workspaceId: 'ws-v' }],
    ['https://monitoring.eu-central-1.amazonaws.com/', { valid: true, region: 'eu-central-1', service: 'monitoring' }],
    ['http://127.0.0.1:9090/', { valid: true }],
    ['aps-workspaces.us-west-2.amazonaws.com', { valid: false }],
    ['ftp://host/', { valid: false }],
    [undefined, { valid: false }],
  ])('%s', (url, want) => {
    expect(parseWorkspaceUrl(url)).toEqual(want);
  });
});

describe('normaliseWorkspaceUrl', () => {
  const base = 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1';
  it.each([
    [`  ${base}/ `, { url: `${base}/` }],
    [`${base}/api/v1/query`, { url: `${base}/`, stripped: '/api/v1/query' }],
    [`${base}/api/v1/query_range/`, { url: `${base}/`, stripped: '/api/v1/query_range' }],
    [`${base}/api/v1/query?query=up`, { url: `${base}/`, stripped: '/api/v1/query' }],
    [base, { url: base }],
  ])('%s', (raw, want) => {
    expect(normaliseWorkspaceUrl(raw)).toEqual(want);
  });
});

describe('workspaceUrlTemplate', () => {
  it('uses the China partition for cn- regions', () => {
    expect(workspaceUrlTemplate('us-east-1', 'ws-1')).toBe('https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/');
    expect(workspaceUrlTemplate('cn-north-1', 'ws-1')).toBe('https://aps-workspaces.cn-north-1.amazonaws.com.cn/workspaces/ws-1/');
  });
});
