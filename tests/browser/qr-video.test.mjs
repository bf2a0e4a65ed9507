// The fake QR camera (lib/qr-video.mjs) reaches a page: headless Chromium
// films the Y4M file through getUserMedia, the page draws a frame on a
// canvas, and jsQR (an independent decoder) reads the same text back. With
// Chromium's built-in fake camera (its moving test pattern) there is no code
// to read, so the test fails if the file is not what the page sees.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import jsQR from 'jsqr';
import { launchChromium } from './lib/chromium.mjs';
import { writeQrVideo } from './lib/qr-video.mjs';
import { scratchDir as makeScratchDir } from './lib/scratch.mjs';

// localhost is a secure context: getUserMedia is there. Nothing listens on
// it; the page is served by request interception.
const PAGE_URL = 'http://localhost/qr-camera-test';
const TEST_TIMEOUT_MS = 60_000;
const PAGE = `<!doctype html><meta charset="utf-8"><title>camera</title>
<video id="camera" muted playsinline></video><canvas id="frame"></canvas>`;

let scratchDir;

before(async () => {
  scratchDir = await makeScratchDir('qr-video');
});

/** Chromium with its fake camera filming `videoPath` (or its own pattern). */
function launch(videoPath) {
  return launchChromium({ fakeCamera: { video: videoPath } });
}

/** One camera frame as the page sees it: `{ width, height, rgba }`. */
async function grabFrame(browser) {
  const page = await browser.newPage();
  await page.route(PAGE_URL, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  await page.goto(PAGE_URL);
  const frame = await page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment' },
      audio: false,
    });
    const video = document.getElementById('camera');
    video.srcObject = stream;
    await video.play();
    // A few frames in, so the picture is not a blank first one.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
    }
    const canvas = document.getElementById('frame');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    stream.getTracks().forEach((track) => track.stop());
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) {
      binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    }
    return { width: canvas.width, height: canvas.height, rgba: btoa(binary) };
  });
  await page.close();
  return { ...frame, rgba: new Uint8ClampedArray(Buffer.from(frame.rgba, 'base64')) };
}

/** A frame from Chromium filming `videoPath`; the browser is closed whatever happens. */
async function frameFilmed(videoPath) {
  const browser = await launch(videoPath);
  try {
    return await grabFrame(browser);
  } finally {
    await browser.close();
  }
}

test('a QR video reaches getUserMedia and its frame decodes to the text', { timeout: TEST_TIMEOUT_MS }, async () => {
  // A pairing secret like the Pi reader's, new each run.
  const text = [...randomBytes(27)].map((byte) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ9'[byte % 27]).join('');
  const videoPath = path.join(scratchDir, 'pairing-code.y4m');
  await writeQrVideo(text, videoPath);
  const frame = await frameFilmed(videoPath);
  assert.deepEqual([frame.width, frame.height], [640, 480]);
  const code = jsQR(frame.rgba, frame.width, frame.height);
  assert.ok(code, 'jsQR found a QR code in the camera frame');
  assert.equal(code.data, text);
});

test('without the video the fake camera shows no code', { timeout: TEST_TIMEOUT_MS }, async () => {
  const frame = await frameFilmed(null);
  assert.equal(jsQR(frame.rgba, frame.width, frame.height), null);
});
