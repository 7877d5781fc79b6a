export { ImageError, isImageError, type ImageErrorCode } from './errors.js';
export { decodeImage, imageSha256, defaultDecodeLimits, type DecodedImage, type DecodeLimits } from './decodeImage.js';
export { createOcrPool, type OcrPool } from './ocrPool.js';
export { readQr } from './readQr.js';
export { readCoupon, type CouponReading, type ReadCouponOptions, type ReadFailure } from './readCoupon.js';
export { readLot, normaliseLot, type LotReading } from './readLot.js';
export { createImageStore, type ImageStore } from './imageStore.js';
