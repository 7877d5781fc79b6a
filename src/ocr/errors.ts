import { CodedError } from '../domain/errors.js';

export const imageErrorCodes = ['UNSUPPORTED_IMAGE', 'IMAGE_UNREADABLE', 'IMAGE_TOO_LARGE'] as const;
export type ImageErrorCode = (typeof imageErrorCodes)[number];

/** An upload that is not an image we can read; raised before any OCR work (statuses in src/api/errorMapping.ts). */
export class ImageError extends CodedError<ImageErrorCode> {}

export const isImageError = (e: unknown): e is ImageError => e instanceof ImageError;
