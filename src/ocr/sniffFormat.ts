export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'heic' | 'avif';

const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1');

// Magic bytes decide what we even hand to libvips: it reads many more formats (SVG, PDF, TIFF…)
// than an upload of a coupon photo should ever be.
export const sniffFormat = (b: Buffer): ImageFormat | null => {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  return null;
};
