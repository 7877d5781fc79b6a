/** A connected blob of ink pixels (8-connected) with its bounding box. */
export type Blob = { left: number; top: number; right: number; bottom: number; pixels: number };

// Two-pass labelling with union-find over a binary mask; one pass over the pixels each way.
export const connectedComponents = (ink: Uint8Array, w: number, h: number): Blob[] => {
  const labels = new Int32Array(w * h);
  const parent: number[] = [0];
  const find = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    return a;
  };
  const union = (a: number, b: number) => {
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!ink[i]) continue;
      const n: number[] = [];
      if (x > 0 && labels[i - 1]) n.push(labels[i - 1]);
      if (y > 0) {
        if (labels[i - w]) n.push(labels[i - w]);
        if (x > 0 && labels[i - w - 1]) n.push(labels[i - w - 1]);
        if (x < w - 1 && labels[i - w + 1]) n.push(labels[i - w + 1]);
      }
      if (n.length === 0) {
        parent.push(parent.length);
        labels[i] = parent.length - 1;
      } else {
        labels[i] = n[0];
        for (const m of n) union(n[0], m);
      }
    }
  const blobs = new Map<number, Blob>();
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const l = labels[y * w + x];
      if (!l) continue;
      const r = find(l);
      const b = blobs.get(r);
      if (!b) blobs.set(r, { left: x, top: y, right: x, bottom: y, pixels: 1 });
      else {
        if (x < b.left) b.left = x;
        if (x > b.right) b.right = x;
        if (y > b.bottom) b.bottom = y;
        b.pixels++;
      }
    }
  return [...blobs.values()];
};
