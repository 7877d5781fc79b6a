// Scan ingest: coupon photos become scan events, and a dose only when the reading is certain.
export * from './events.js';
export * from './state.js';
export * from './decideScan.js';
export * from './scanId.js';
export * from './errors.js';
export * from './scanDeps.js';
export * from './scanView.js';
export * from './loadScan.js';
export * from './evaluateScan.js';
export * from './ingestScan.js';
export * from './resolveScan.js';
export * from './scanStatusProjection.js';
export * from './scanServices.js';
export * from './migrations.js';
