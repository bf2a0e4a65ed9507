// A fake camera that films a QR code: a Y4M video for Chromium's
//   --use-fake-device-for-media-stream --use-fake-ui-for-media-stream
//   --use-file-for-fake-video-capture=<path>
// so a browser test can scan a code (the Pi reader's pairing code) through
// getUserMedia as a phone would. Chromium loops the file.
import { writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';

/** Modules of light margin around the code, as the QR standard asks. */
const QUIET_ZONE = 4;
/** Share of the picture's shorter side the code (with its margin) fills. */
const FILL = 0.8;
/** Luma of dark and light modules (video range, as a camera gives it). */
const DARK = 16;
const LIGHT = 235;
/** Chroma of grey. */
const NEUTRAL = 128;

/**
 * Writes a Y4M video (YUV 4:2:0, `frames` frames at 30 fps) of `text` as a
 * QR code (error correction M, as the Pi reader draws it) centred on a light
 * picture of `width` × `height` pixels and scaled to fill most of it.
 */
export async function writeQrVideo(text, path, { width = 640, height = 480, frames = 10 } = {}) {
  if (width % 2 || height % 2) throw new Error(`4:2:0 needs even sizes, got ${width}x${height}`);
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const side = modules.size + 2 * QUIET_ZONE;
  const scale = Math.floor((Math.min(width, height) * FILL) / side);
  if (scale < 2) {
    throw new Error(`a ${modules.size}-module code does not fit ${width}x${height} at 2 pixels a module`);
  }
  const left = Math.floor((width - modules.size * scale) / 2);
  const top = Math.floor((height - modules.size * scale) / 2);

  const luma = Buffer.alloc(width * height, LIGHT);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let y = 0; y < scale; y++) {
        const start = (top + row * scale + y) * width + left + col * scale;
        luma.fill(DARK, start, start + scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), NEUTRAL);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  await writeFile(path, Buffer.concat([header, ...Array(frames).fill(frame)]));
}
