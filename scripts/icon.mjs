// Draws images/icon.png (256×256, the marketplace icon): a shield with a hook, antialiased by
// supersampling. No image library: a PNG is a zlib stream of rows and three CRC'd chunks.
// Run: node scripts/icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 256;
const samples = 4; // per axis, per pixel

const background = [22, 46, 84];
const shield = [236, 242, 250];
const hook = [232, 108, 36];

/** Rounded square of the whole icon. */
function inTile(x, y) {
  const r = 0.18,
    m = 0.02;
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - m - r), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - m - r), 0);
  return dx * dx + dy * dy <= r * r;
}

/** A shield: straight top, sides curving down to a point. */
function inShield(x, y) {
  const top = 0.17,
    bottom = 0.86,
    half = 0.31;
  if (y < top || y > bottom) return false;
  const t = (y - top) / (bottom - top);
  const width = t < 0.45 ? half : half * Math.sqrt(Math.max(0, 1 - ((t - 0.45) / 0.55) ** 2));
  return Math.abs(x - 0.5) <= width;
}

/** A fish hook: an eye, a shank, the bend and the point, drawn as thick strokes. */
function inHook(x, y) {
  const w = 0.045;
  const eye = Math.abs(Math.hypot(x - 0.56, y - 0.27) - 0.04) <= w / 2.4;
  const shank = Math.abs(x - 0.56) <= w / 2 && y >= 0.3 && y <= 0.6;
  const bend = Math.abs(Math.hypot(x - 0.47, y - 0.6) - 0.09) <= w / 2 && y >= 0.6;
  const point = Math.abs(x - 0.38) <= w / 2 && y >= 0.5 && y <= 0.6;
  return eye || shank || bend || point;
}

function colourAt(x, y) {
  if (!inTile(x, y)) return null;
  if (inHook(x, y)) return hook;
  if (inShield(x, y)) return shield;
  return background;
}

const raw = Buffer.alloc(size * (size * 4 + 1));
for (let py = 0; py < size; py++) {
  raw[py * (size * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < size; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const c = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
        if (!c) continue;
        sum[0] += c[0];
        sum[1] += c[1];
        sum[2] += c[2];
        sum[3] += 255;
      }
    }
    const n = samples * samples;
    const covered = sum[3] / 255;
    const at = py * (size * 4 + 1) + 1 + px * 4;
    for (let i = 0; i < 3; i++) raw[at + i] = covered ? Math.round(sum[i] / covered) : 0;
    raw[at + 3] = Math.round(sum[3] / n);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync('images/icon.png', png);
console.log(`images/icon.png: ${size}×${size}, ${png.length} bytes`);
