#!/usr/bin/env node
/**
 * Draws the Teams app icons (color.png 192x192, outline.png 32x32) as PNG bytes with no dependency:
 * a "W" stroke, white on the accent colour, and white on transparent for the outline icon (Teams
 * requires the outline to be white and transparent only). Run: node teams/make-icons.js
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ACCENT = [0x1f, 0x6f, 0xeb];
// The W as a polyline in unit coordinates, and its stroke half-width.
const W = [[0.2, 0.28], [0.35, 0.72], [0.5, 0.42], [0.65, 0.72], [0.8, 0.28]];
const HALF = 0.055;

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage 0..1 of the W over a pixel, 4x4 supersampled for smooth edges. */
function coverage(x, y, size) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const px = (x + (sx + 0.5) / 4) / size;
      const py = (y + (sy + 0.5) / 4) / size;
      if (W.slice(1).some((b, i) => distToSegment(px, py, W[i], b) <= HALF)) hits++;
    }
  }
  return hits / 16;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const color = png(192, (x, y) => {
  const a = coverage(x, y, 192);
  return [...ACCENT.map((c) => Math.round(c + (255 - c) * a)), 255];
});
const outline = png(32, (x, y) => [255, 255, 255, Math.round(coverage(x, y, 32) * 255)]);
fs.writeFileSync(path.join(__dirname, 'color.png'), color);
fs.writeFileSync(path.join(__dirname, 'outline.png'), outline);
process.stdout.write(`color.png ${color.length} bytes, outline.png ${outline.length} bytes\n`);
