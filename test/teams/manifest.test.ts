import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from '../support/cli';

/** The Teams app package in teams/: the manifest's rules (schema v1.16) and the icons Teams requires. */
const dir = path.join(ROOT, 'teams');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

/** Width, height and RGBA pixels of one of our icons (8-bit RGBA, unfiltered rows, as make-icons.js writes them). */
function readPng(file: string): { width: number; height: number; pixels: Buffer } {
  const buf = fs.readFileSync(path.join(dir, file));
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const len = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const pixels = Buffer.concat(Array.from({ length: height }, (_, y) => {
    const row = raw.subarray(y * (width * 4 + 1), (y + 1) * (width * 4 + 1));
    expect(row[0]).toBe(0);
    return row.subarray(1);
  }));
  return { width, height, pixels };
}

describe('Teams app package', () => {
  it('is a v1.16 manifest with the bot id placeholder, in personal, team and group chat', () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/en-us/json-schemas/teams/v1.16/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.16');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toBe('{{MICROSOFT_APP_ID}}');
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe('{{MICROSOFT_APP_ID}}');
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    for (const url of Object.values(manifest.developer).filter((v) => String(v).includes('://'))) expect(url).toMatch(/^https:\/\//);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
  });

  it('lists commands within the schema limits (10 per list, title 32, description 128)', () => {
    const [list] = manifest.bots[0].commandLists;
    expect(list.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(list.commands.length).toBeGreaterThan(0);
    expect(list.commands.length).toBeLessThanOrEqual(10);
    for (const c of list.commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('has a 192x192 colour icon and a 32x32 outline icon that is white on transparent only', () => {
    const color = readPng(manifest.icons.color);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(manifest.icons.outline);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a === 0) continue;
      drawn++;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(20);
  });
});
