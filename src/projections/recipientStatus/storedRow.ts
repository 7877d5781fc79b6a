import { open, seal } from '../../personal/aesGcm.js';
import { birthDateIndex, blindKana, kanaPrefixIndexes } from '../../personal/blindIndex.js';
import type { StoredRow } from './statusColumns.js';
import type { StatusRow } from './statusRow.js';

/**
 * A row as PostgreSQL keeps it (its columns: statusColumns): no personal field in clear (not in the table, so not in its WAL, statistics or
 * backups). Name, kana, birth date, address number and a next date derived from the birth date are one AES-GCM
 * block under the stream's data key (erasure deletes the key: every copy of the block is unreadable); search goes
 * by keyed blind indexes of the kana prefixes and the birth date, which an erased row no longer has.
 */
export type { StoredRow };

type Sealed = { n: string; k: string; b: string; a: string | null; e?: string | null };

const aad = (stream: string) => `recipient_status:${stream}`;

/** Before the first dose the next date is the birth date plus the minimum age: personal, so it is sealed too. */
const nextIsPersonal = (r: StatusRow) => r.doseCount === 0;

const blockOf = (r: StatusRow, key: Buffer | null): Sealed | null =>
  key && r.name !== null && r.nameKana !== null && r.birthDate !== null
    ? { n: r.name, k: r.nameKana, b: r.birthDate, a: r.addressNumber, ...(nextIsPersonal(r) ? { e: r.nextEligibleDate } : {}) }
    : null;

const sameBlock = (a: Sealed, b: Sealed) => a.n === b.n && a.k === b.k && a.b === b.b && a.a === b.a && a.e === b.e;

/** The stored row each opened row came from (openRow), so a row whose personal fields did not change keeps its seal. */
const storedOf = new WeakMap<StatusRow, StoredRow>();

/**
 * `previous` is the row as loaded (openRow) before this batch: when the sealed fields are unchanged (a dose, a
 * status change) its sealed block and blind indexes are kept, so a dose costs no AES-GCM and no 7 HMACs; the
 * projector profile (bench/profiles/record-dose.md) had HMAC as its largest self time.
 */
export const sealRow = (r: StatusRow, key: Buffer | null, bixKey: Buffer, previous?: StatusRow): StoredRow => {
  const block = blockOf(r, key);
  const before = previous && storedOf.get(previous);
  const prior = block && before && before.sealed !== null ? blockOf(previous, key) : null;
  const kept = block && prior && sameBlock(block, prior) ? before! : null;
  return {
    stream: r.stream,
    municipality: r.municipality,
    coupon: r.coupon,
    sealed: kept ? kept.sealed : block ? seal(key!, Buffer.from(JSON.stringify(block)), aad(r.stream)) : null,
    kana_bix: kept ? kept.kana_bix : block ? kanaPrefixIndexes(bixKey, r.municipality, blindKana(block.k)) : [],
    birth_bix: kept ? kept.birth_bix : block ? birthDateIndex(bixKey, r.municipality, block.b) : null,
    sex: r.sex,
    status: r.status,
    doses: r.doses,
    dose_count: r.doseCount,
    last_dose_date: r.lastDoseDate,
    next_eligible_date: block && nextIsPersonal(r) ? null : r.nextEligibleDate,
    state: r.state,
    version: r.version.toString(),
    position: r.position.toString(),
  };
};

/** The row with its personal fields opened; null fields when the key is gone (erased) or there were none. */
export const openRow = (s: StoredRow, key: Buffer | null): StatusRow => {
  const block = s.sealed !== null && key ? (JSON.parse(open(key, s.sealed, aad(s.stream)).toString('utf8')) as Sealed) : null;
  const row: StatusRow = {
    stream: s.stream,
    municipality: s.municipality,
    coupon: s.coupon,
    addressNumber: block?.a ?? null,
    name: block?.n ?? null,
    nameKana: block?.k ?? null,
    birthDate: block?.b ?? null,
    sex: s.sex,
    status: s.status,
    doses: s.doses,
    doseCount: s.dose_count,
    lastDoseDate: s.last_dose_date,
    nextEligibleDate: block && 'e' in block ? (block.e ?? null) : s.next_eligible_date,
    state: s.state,
    version: BigInt(s.version),
    position: BigInt(s.position),
  };
  storedOf.set(row, s);
  return row;
};
