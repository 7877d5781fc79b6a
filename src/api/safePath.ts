/**
 * Client-typed text an answer or a log line may repeat: short ASCII identifiers pass, anything else (digits
 * long enough to be a My Number, names, percent-encoded or non-ASCII text) is masked. Coupons (10 digits),
 * municipality codes and route words stay readable.
 */
export const safeText = (s: string) => (/^[A-Za-z0-9_.:-]{0,40}$/.test(s) && !/\d{11,}/.test(s) ? s : '[masked]');

/** A request path without its query string, each segment through `safeText`. */
export const safePath = (url: string) =>
  url
    .split('?')[0]
    .split('/')
    .map((segment) => (segment === '' ? segment : safeText(segment)))
    .join('/');
