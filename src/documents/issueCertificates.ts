import { issueDocument, type CommandContext, type LedgerDeps } from '../ledger/index.js';
import type { DocumentDeps } from './documentServices.js';
import { ridOf } from './keys/rid.js';
import { fhirBundleOf } from './shc/fhirBundle.js';
import { toShcNumeric } from './shc/numericQr.js';
import { signHealthCard } from './shc/signHealthCard.js';
import { newUvci, signVds, vdsDataOf } from './vds/vdsNc.js';

const recordRow = (docs: DocumentDeps, row: { stream: string; kind: string; kid: string | null; rid: string | null; issuedAt: Date }) =>
  docs.pool.query('INSERT INTO document_certificates (stream, kind, kid, rid, issued_at) VALUES ($1, $2, $3, $4, $5)', [
    row.stream,
    row.kind,
    row.kid,
    row.rid,
    row.issuedAt,
  ]);

/**
 * A SMART Health Card of the recipient's valid doses, signed with the current key, with a revocation id. The row
 * that makes it revocable is written before the CertificateIssued event, so no card is out that the CRL misses.
 */
export const issueShc = async (ledger: LedgerDeps, docs: DocumentDeps, stream: string, c: CommandContext, now = new Date()) => {
  const key = docs.keys.current;
  const nbf = Math.floor(now.getTime() / 1000);
  const rid = ridOf(docs.ridSecret, key.kid, stream);
  const { state, made: jws, result } = await issueDocument(ledger, stream, { type: 'IssueCertificate', kind: 'shc', keyId: key.kid, issuedAt: nbf }, c, async (s) => {
    const signed = await signHealthCard({ iss: docs.iss, nbf, rid, bundle: fhirBundleOf(s), key });
    await recordRow(docs, { stream, kind: 'shc', kid: key.kid, rid, issuedAt: now });
    return signed;
  });
  return { state, jws, shc: toShcNumeric(jws), result };
};

/** 予防接種済証: unsigned paper, still an issue on the record. */
export const issueRecord = async (ledger: LedgerDeps, stream: string, c: CommandContext, now = new Date()) => {
  const { state, result } = await issueDocument(
    ledger,
    stream,
    { type: 'IssueCertificate', kind: 'record', keyId: null, issuedAt: Math.floor(now.getTime() / 1000) },
    c,
    () => null,
  );
  return { state, result };
};

/** An ICAO VDS-NC (icao.vacc) of the valid doses, signed with the current key, its certificate in `cer`. */
export const issueVds = async (ledger: LedgerDeps, docs: DocumentDeps, stream: string, c: CommandContext, now = new Date()) => {
  const key = docs.keys.current;
  const { state, made: vds, result } = await issueDocument(
    ledger,
    stream,
    { type: 'IssueCertificate', kind: 'vds', keyId: key.kid, issuedAt: Math.floor(now.getTime() / 1000) },
    c,
    async (s) => {
      const signed = signVds(vdsDataOf(s, newUvci()), key, docs.certificate);
      await recordRow(docs, { stream, kind: 'vds', kid: key.kid, rid: null, issuedAt: now });
      return signed;
    },
  );
  return { state, vds, result };
};
