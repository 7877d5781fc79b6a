import { describe, expect, it } from '@jest/globals';
import { httpErrorCodes, STATUS_BY_CODE, toHttpError } from '../../../src/api/errorMapping.js';
import { domainError, domainErrorCodes } from '../../../src/domain/errors.js';
import { storeErrorCodes } from '../../../src/eventstore/errors.js';
import { ImportError, importErrorCodes } from '../../../src/import/importErrors.js';
import { ledgerErrorCodes } from '../../../src/ledger/idempotencyKeyReusedError.js';
import { imageErrorCodes } from '../../../src/ocr/errors.js';
import { projectionErrorCodes } from '../../../src/projections/rebuild/rebuildErrors.js';
import { InvalidCursorError } from '../../../src/projections/recipientStatus/searchCursor.js';
import { accountErrorCodes } from '../../../src/accounts/errors.js';
import { proofErrorCodes } from '../../../src/proofs/proofErrors.js';
import { scanErrorCodes } from '../../../src/scans/errors.js';

describe('the one error table', () => {
  const every = [...httpErrorCodes, ...domainErrorCodes, ...ledgerErrorCodes, ...storeErrorCodes, ...projectionErrorCodes, ...importErrorCodes, ...scanErrorCodes, ...imageErrorCodes, ...proofErrorCodes, ...accountErrorCodes];

  it('gives every code of every layer a 4xx or 503, and nothing else', () => {
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...new Set(every)].sort());
    for (const code of every) expect([400, 401, 404, 408, 409, 413, 415, 422, 429, 431, 503]).toContain(STATUS_BY_CODE[code]);
  });

  it('answers an import, cursor or domain error from the table', () => {
    expect(toHttpError(new ImportError('IMPORT_UNSUPPORTED_CHARSET', 'charset')).status).toBe(415);
    expect(toHttpError(new ImportError('IMPORT_TOO_LARGE', 'big', { limit: 1 })).body.error).toEqual({ code: 'IMPORT_TOO_LARGE', message: 'big', details: { limit: 1 } });
    expect(toHttpError(new InvalidCursorError()).status).toBe(400);
    expect(toHttpError(domainError('DOSE_OUT_OF_ORDER', 'doseNumber: out of order')).status).toBe(422);
    expect(toHttpError(Object.assign(new Error('x'), { code: 'SOMETHING_ELSE' })).status).toBe(500);
  });
});
