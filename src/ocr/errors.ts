export type ImageErrorCode = 'UNSUPPORTED_IMAGE' | 'IMAGE_UNREADABLE' | 'IMAGE_TOO_LARGE';

/** An upload that is not an image we can read; raised before any OCR work. The API maps
 *  UNSUPPORTED_IMAGE → 415, IMAGE_UNREADABLE → 422, IMAGE_TOO_LARGE → 413. */
export class ImageError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

export const isImageError = (e: unknown): e is ImageError => e instanceof ImageError;
