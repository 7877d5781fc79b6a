// The command side: load a stream, decide with the pure domain, append sealed events.
export * from './ledgerDeps.js';
export * from './commandContext.js';
export * from './ledgerResult.js';
export * from './loadRecipient.js';
export * from './loadClaim.js';
export * from './appendSealed.js';
export * from './handleRegisterRecipient.js';
export * from './registerRecipients.js';
export * from './changeRecipient.js';
export * from './transferRecipient.js';
export * from './lookupByMyNumber.js';
export * from './idempotencyKeyReusedError.js';
export * from './issueDocument.js';
