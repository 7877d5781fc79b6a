/** True when the Accept-Encoding header lists gzip with a non-zero quality. */
export const acceptsGzip = (header: string | string[] | undefined): boolean => {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';').map((s) => s.trim());
    if (name.toLowerCase() !== 'gzip' && name !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
};
