import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The CSRF token of the current session: in memory only (never in storage), sent on every write. */
let csrfToken: string | undefined;
export const setCsrfToken = (t: string | undefined) => {
  csrfToken = t;
};
export const getCsrfToken = () => csrfToken;

/** A refused request: the API's stable code, its message and details. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

let onSignedOut: () => void = () => {};
export const whenSignedOut = (f: () => void) => {
  onSignedOut = f;
};

const csrf: Middleware = {
  onRequest: ({ request }) => {
    if (!['GET', 'HEAD'].includes(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(csrf);

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The answer's data, or an ApiFailure; a 401 (session ended) returns the console to sign-in. */
export const unwrap = async <T>(p: Promise<Answer<T>>): Promise<T> => {
  const { data, error, response } = await p;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
  if (response.status === 401 && body.error?.code === 'UNAUTHENTICATED') onSignedOut();
  throw new ApiFailure(response.status, body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? response.statusText, body.error?.details);
};

/** For endpoints without a response schema (their OpenAPI says nothing of the body): the caller names the type. */
export const unwrapAs = <T>(p: Promise<Answer<unknown>>) => unwrap(p) as Promise<T>;

/** Raw fetch for uploads and streams openapi-fetch does not cover (multipart, CSV bodies with progress). */
export const upload = (url: string, body: Blob | FormData, contentType: string | undefined, onProgress: (loaded: number, total: number) => void) =>
  new Promise<unknown>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (contentType) xhr.setRequestHeader('Content-Type', contentType);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onload = () => {
      const body = xhr.response as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else {
        if (xhr.status === 401) onSignedOut();
        reject(new ApiFailure(xhr.status, body?.error?.code ?? `HTTP_${xhr.status}`, body?.error?.message ?? '', body?.error?.details));
      }
    };
    xhr.onerror = () => reject(new ApiFailure(0, 'NETWORK', 'network error'));
    xhr.send(body);
  });
