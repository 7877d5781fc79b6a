/**
 * What a ledger leaf commits to: the event's place (stream, version, global position) and its chain hash, which
 * is SHA-256 over the previous hash and the event's canonical content (src/eventstore/hashChain.ts). So a leaf
 * commits to the content and to the whole stream before it. Canonical JSON, keys sorted.
 */
export type LeafEvent = { stream: string; version: bigint; position: bigint; hash: string };

export const eventLeafText = (e: LeafEvent): string =>
  `{"hash":${JSON.stringify(e.hash)},"position":"${e.position}","stream":${JSON.stringify(e.stream)},"version":"${e.version}"}`;

export const eventLeafData = (e: LeafEvent): Buffer => Buffer.from(eventLeafText(e), 'utf8');
