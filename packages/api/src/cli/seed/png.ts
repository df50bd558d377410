import { deflateSync } from "node:zlib";
import { PNG_SIGNATURE, pngChunk } from "../../png.ts";

/**
 * A PNG drawn pixel by pixel (8-bit RGB, no interlace): the seed's product pictures are generated, never
 * downloaded. The container is ../../png.ts.
 */
export type Pixel = (x: number, y: number) => readonly [number, number, number];

export function drawPng(width: number, height: number, pixel: Pixel): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    // Each scanline starts with its filter type: 0, none.
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * stride + 1 + x * 3);
  }
  return Buffer.concat([PNG_SIGNATURE, pngChunk("IHDR", header), pngChunk("IDAT", deflateSync(raw)), pngChunk("IEND", Buffer.alloc(0))]);
}

/** RGB of a hue (0–360) at full saturation, at the given lightness (0–1). */
export function hue(degrees: number, lightness = 0.5): [number, number, number] {
  const c = (1 - Math.abs(2 * lightness - 1));
  const h = ((degrees % 360) + 360) % 360 / 60;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  const m = lightness - c / 2;
  return [r, g, b].map((v) => Math.round((v + m) * 255)) as [number, number, number];
}

/** A product picture: a diagonal gradient of the product's hue with a pale disc in the middle, 240×240. */
export function productPicture(index: number): Buffer {
  const size = 240;
  const base = index * 30;
  return drawPng(size, size, (x, y) => {
    const distance = Math.hypot(x - size / 2, y - size / 2);
    if (distance < size * 0.28) return hue(base + 180, 0.85);
    return hue(base + ((x + y) / (2 * size)) * 40, 0.35 + (0.25 * y) / size);
  });
}
