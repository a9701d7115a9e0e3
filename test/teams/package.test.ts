// `npm run teams:package` writes a zip Teams accepts: manifest.json (1.17 schema, the bot id, the
// command list) and the two icons it references, at the archive root.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { createCanvas, loadImage } from "canvas";
import { describe, expect, it } from "vitest";
import { crc32Table, zip } from "../../adapters/teams/zip.ts";

/** Entries of a ZIP archive, read from its central directory (APPNOTE 4.3.12, 4.3.16). */
function unzip(archive: Buffer): Map<string, Buffer> {
  const eocd = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = archive.readUInt16LE(eocd + 10);
  let p = archive.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(p)).toBe(0x02014b50);
    const method = archive.readUInt16LE(p + 10);
    const crc = archive.readUInt32LE(p + 16);
    const compressed = archive.readUInt32LE(p + 20);
    const size = archive.readUInt32LE(p + 24);
    const nameLen = archive.readUInt16LE(p + 28);
    const extraLen = archive.readUInt16LE(p + 30);
    const commentLen = archive.readUInt16LE(p + 32);
    const local = archive.readUInt32LE(p + 42);
    const name = archive.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(start, start + compressed);
    const data = method === 0 ? Buffer.from(raw) : zlib.inflateRawSync(raw);
    expect(data.length).toBe(size);
    expect(zlib.crc32(data) >>> 0).toBe(crc);
    out.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

async function pixels(png: Buffer) {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, data: ctx.getImageData(0, 0, img.width, img.height).data };
}

const APP_ID = "6f1c2b3a-1111-4222-8333-944455556666";

describe("npm run teams:package", () => {
  it("writes a zip with a valid manifest naming the bot, its commands and both icons", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-teams-"));
    const out = path.join(dir, "app.zip");
    const r = spawnSync("npm", ["run", "--silent", "teams:package", "--", "--out", out], {
      env: { ...process.env, MICROSOFT_APP_ID: APP_ID, PUBLIC_URL: "https://kpi.example.com", TEAMS_APP_ID: "" },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const files = unzip(await readFile(out));
    expect([...files.keys()].sort()).toEqual(["color.png", "manifest.json", "outline.png"]);

    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    expect(manifest.manifestVersion).toBe("1.17");
    expect(manifest.$schema).toContain("/v1.17/MicrosoftTeams.schema.json");
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, scopes: ["personal", "team", "groupChat"] });
    const commands = manifest.bots[0].commandLists[0].commands as { title: string; description: string }[];
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.length).toBeLessThanOrEqual(10);
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
    expect(commands.map((c) => c.title)).toContain("kpi team sales last-quarter");
    expect(manifest.validDomains).toEqual(["kpi.example.com"]);
    for (const url of Object.values(manifest.developer).slice(1)) expect(url).toMatch(/^https:\/\//);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);

    // Icons: referenced names exist; colour 192×192; outline 32×32, white on transparent.
    expect(files.has(manifest.icons.color)).toBe(true);
    expect(files.has(manifest.icons.outline)).toBe(true);
    const color = await pixels(files.get(manifest.icons.color)!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = await pixels(files.get(manifest.icons.outline)!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let opaque = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i]!, outline.data[i + 1]!, outline.data[i + 2]!, outline.data[i + 3]!];
      if (a > 0) {
        opaque++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(opaque).toBeGreaterThan(50);
    expect(outline.data[3]).toBe(0); // top-left corner transparent
  }, 60_000);

  it("refuses an app id that is not a GUID", () => {
    const r = spawnSync("npm", ["run", "--silent", "teams:package", "--", "--out", path.join(os.tmpdir(), "never.zip")], {
      env: { ...process.env, MICROSOFT_APP_ID: "my-bot" },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/MICROSOFT_APP_ID must be a GUID/);
  }, 60_000);
});

describe("zip", () => {
  it("computes the standard CRC-32 check value without zlib", () => {
    expect(crc32Table(Buffer.from("123456789"))).toBe(0xcbf43926);
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff));
    expect(crc32Table(data)).toBe(zlib.crc32(data) >>> 0);
  });
  it("round-trips entries and is deterministic", () => {
    const entries = [
      { name: "a.txt", data: Buffer.from("hello") },
      { name: "dir/b.bin", data: Buffer.from([0, 1, 2, 255]) },
      { name: "empty", data: Buffer.alloc(0) },
    ];
    const archive = zip(entries);
    expect(archive.equals(zip(entries))).toBe(true);
    const files = unzip(archive);
    for (const e of entries) expect(files.get(e.name)).toEqual(e.data);
  });
  it("refuses names it cannot store as ASCII", () => {
    expect(() => zip([{ name: "图.png", data: Buffer.from("x") }])).toThrow(/ASCII/);
  });
});
