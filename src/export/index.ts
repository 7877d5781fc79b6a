// The VRS 予防接種台帳向け出力 (ledger export) of a municipality.
export * from './ledgerColumns.js';
export * from './ledgerRow.js';
export * from './ledgerRows.js';
export * from './ledgerCsv.js';
export * from './doseRecordedTimes.js';
export * from './recipientStreams.js';
