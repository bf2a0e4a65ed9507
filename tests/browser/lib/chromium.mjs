// Headless Chromium as every browser test starts it: Debian's binary (or
// CHROMIUM_PATH), no sandbox, no GPU, no background traffic; with
// `fakeCamera`, a fake camera that films `fakeCamera.video` (a Y4M file, see
// qr-video.mjs) or, with no video, Chromium's own test pattern.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium; `extraArgs` are added to the usual flags. */
export function launchChromium({ fakeCamera, extraArgs = [] } = {}) {
  const camera = fakeCamera
    ? [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        ...(fakeCamera.video ? [`--use-file-for-fake-video-capture=${fakeCamera.video}`] : []),
      ]
    : [];
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', ...camera, ...extraArgs],
  });
}
