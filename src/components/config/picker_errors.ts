import { ResourceError } from '../../resources/resource_client';

/** A workspace-lookup failure for the picker: one sentence with the fix, and the full text for "Details". */
export interface PickerProblem {
  summary: string;
  details: string;
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
]);

/** AWS appends the canonical request and string-to-sign to signature errors; they never reach the page. */
function withoutSigningDump(text: string): string {
  const cut = text.search(/\n|The Canonical String|The String-to-Sign/);
  return (cut < 0 ? text : text.slice(0, cut)).trim();
}

/** Explains why the workspaces of a region could not be listed, in one sentence that says what to do. */
export function explainPickerError(err: ResourceError, region: string): PickerProblem {
  const details = withoutSigningDump([err.message, err.details].filter(Boolean).join(' — '));
  const type = err.errorType ?? '';
  let summary: string;
  if (type === 'AccessDeniedException' || (err.status === 403 && /ListWorkspaces|DescribeWorkspace/.test(err.message))) {
    summary =
      'This AWS identity may not list workspaces (aps:ListWorkspaces): grant it that permission, or paste the workspace URL above.';
  } else if (CREDENTIAL_ERRORS.has(type)) {
    summary =
      'AWS rejected the saved credentials: check the access key and secret access key above, save, and run Save & test.';
  } else if (type === 'ThrottlingException' || err.status === 429) {
    summary = 'AWS is throttling workspace lookups: wait a few seconds and choose the region again.';
  } else if (err.status === 400 && /credentials|auth method|assume role/i.test(err.message)) {
    summary = 'The saved AWS credentials could not be loaded: fix the Authentication settings above and save.';
  } else if (/credential/i.test(`${err.message} ${err.details ?? ''}`)) {
    summary = 'The Grafana server found no usable AWS credentials: choose another authentication provider above, or give the server a role.';
  } else if (err.status === 504 || err.status === 502) {
    summary = `The AMP control plane in ${region} could not be reached from the Grafana server: check its network access to aps.${region}.amazonaws.com, or paste the workspace URL above.`;
  } else {
    summary = 'The workspaces could not be loaded: paste the workspace URL above instead.';
  }
  return { summary, details };
}
