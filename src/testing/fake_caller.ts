import { BackendSrvRequest, FetchError } from '@grafana/runtime';

import { ResourceCaller } from '../resources/resource_client';

/** One resource call as the fake saw it. */
export interface RecordedCall {
  method: 'GET' | 'POST';
  path: string;
  /** Query-string parameters (GET) or form parameters (POST). */
  params: URLSearchParams;
  body?: unknown;
  options?: Partial<BackendSrvRequest>;
}

/** Answers a call: a body, or a FetchError-shaped rejection built with fetchError. */
export type Responder = (call: RecordedCall) => unknown;

/** A FetchError like Grafana's backend service rejects with. */
export function fetchError(status: number, data: unknown): FetchError {
  return { status, data, statusText: '', config: { url: '' }, isHandled: false } as FetchError;
}

/**
 * A ResourceCaller for tests: records every call with its parameters split out of the path or body, and answers
 * through `respond` (an answer that is a FetchError is thrown).
 */
export function fakeCaller(respond: Responder): ResourceCaller & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const answer = async (call: RecordedCall) => {
    calls.push(call);
    const out = respond(call);
    if (out && typeof out === 'object' && 'status' in out && 'isHandled' in out) {
      throw out;
    }
    return out as never;
  };
  return {
    calls,
    getResource: (path, _params, options) => {
      const [p, qs = ''] = path.split('?');
      return answer({ method: 'GET', path: p, params: new URLSearchParams(qs), options });
    },
    postResource: (path, body, options) =>
      answer({ method: 'POST', path, params: new URLSearchParams(String(body ?? '')), body, options }),
  };
}
