// The papers people hold: certificates (SMART Health Card), 予防接種済証, coupon sheets.
export * from './documentServices.js';
export * from './issueCertificates.js';
export * from './keys/signingKeys.js';
export * from './keys/rid.js';
export * from './shc/cvx.js';
export * from './shc/fhirBundle.js';
export * from './shc/numericQr.js';
export * from './shc/signHealthCard.js';
export * from './shc/verifyHealthCard.js';
export * from './shc/revocationList.js';
export * from './pdf/recordPdf.js';
export * from './pdf/shcPdf.js';
export * from './qr/qrPng.js';
export * from './coupons/criteria.js';
export * from './coupons/couponBatches.js';
export * from './coupons/dueList.js';
export * from './pdf/couponPdf.js';
