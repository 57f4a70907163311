/* global process, console */
// The first-load budget, run after `vite build` and compress.mjs: what a browser must fetch before a
// page can render, gzipped. Read from Vite's manifest (build.manifest → dist/.vite/manifest.json).
//
// An entry's first load = the entry chunk + every chunk it imports statically (transitively) + the CSS
// of all of them. Dynamic imports (the lazy pages, echarts, the public pages' font CSS) are not counted:
// they load later, when a page asks for them.
//
// Fonts: the Chinese web font (@fontsource/noto-sans-sc) is CSS whose @font-face rules each name a
// unicode-range and a small woff2 file. The CSS is counted when it is on the first load (it is, for the
// staff app); the woff2 files are not: the browser fetches only the ranges the page's text uses, after
// the CSS, and the manifest lists them as `assets`, which this script does not walk.
//
// The public pages (public.html: /public, /t, /verify) are opened on phones from a QR code or a link:
// the build fails when their first load passes PUBLIC_LIMIT. The staff app's figure is printed only.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

/** 250 kB gzipped (kB = 1000 bytes, as Vite prints sizes). */
export const PUBLIC_LIMIT = 250_000;

/** The manifest keys of the two pages. */
export const ENTRIES = { staff: 'index.html', public: 'public.html' };

/**
 * The files an entry loads first: its chunk, its static imports (transitively) and their CSS, each once.
 * @param {Record<string, { file: string; imports?: string[]; css?: string[] }>} manifest Vite's manifest
 * @param {string} entryKey e.g. 'public.html'
 * @returns {string[]} output file names (relative to dist), in load order
 */
export function firstLoadFiles(manifest, entryKey) {
  if (!manifest[entryKey]) throw new Error(`the manifest has no entry ${entryKey}`);
  const files = [];
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key} (imported by ${entryKey})`);
    files.push(chunk.file);
    for (const css of chunk.css ?? []) if (!files.includes(css)) files.push(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entryKey);
  return files;
}

/**
 * Each entry's first load and whether the public pages stay within the limit.
 * @param {Record<string, { file: string; imports?: string[]; css?: string[] }>} manifest
 * @param {(file: string) => number} gzipSize gzipped size in bytes of an output file
 * @param {number} [limit]
 */
export function checkBudget(manifest, gzipSize, limit = PUBLIC_LIMIT) {
  const measure = (key) => {
    const files = firstLoadFiles(manifest, key).map((file) => ({ file, bytes: gzipSize(file) }));
    return { files, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
  };
  const staff = measure(ENTRIES.staff);
  const pub = measure(ENTRIES.public);
  return { staff, public: pub, limit, ok: pub.bytes <= limit };
}

/** Modules the public pages must never load: the staff app's own code and its UI libraries. */
const STAFF_MODULE = /[\\/]apps[\\/]web[\\/]src[\\/](?!public[\\/])|[\\/]node_modules[\\/](antd|@ant-design|@rc-component|echarts)[\\/]/;

/**
 * The staff modules any chunk the public entry can load (statically or lazily) holds, as
 * "chunk file: module id". Run on the bundle (vite.config.ts's plugin), where chunks list their modules.
 * @param {Array<{ fileName: string; name?: string; isEntry?: boolean; moduleIds: string[]; imports: string[]; dynamicImports: string[] }>} chunks
 * @param {string} [entryName] the public entry's name in build.rolldownOptions.input
 * @returns {string[]}
 */
export function publicLeaks(chunks, entryName = 'public') {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const entry = chunks.find((c) => c.isEntry && c.name === entryName);
  if (!entry) throw new Error(`the bundle has no entry ${entryName}`);
  const leaks = [];
  const seen = new Set();
  const visit = (chunk) => {
    if (!chunk || seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const id of chunk.moduleIds) if (STAFF_MODULE.test(id)) leaks.push(`${chunk.fileName}: ${id}`);
    for (const f of [...chunk.imports, ...chunk.dynamicImports]) visit(byFile.get(f));
  };
  visit(entry);
  return leaks;
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The report's lines: totals, then each public file, largest first. */
export function formatReport(result) {
  const lines = [
    `first load, gzip: staff (index.html) ${kB(result.staff.bytes)} in ${result.staff.files.length} files; ` +
      `public (public.html) ${kB(result.public.bytes)} in ${result.public.files.length} files (limit ${kB(result.limit)})`,
  ];
  if (!result.ok) {
    lines.push(`the public pages' first load passes the budget by ${kB(result.public.bytes - result.limit)}:`);
    for (const f of [...result.public.files].sort((a, b) => b.bytes - a.bytes)) lines.push(`  ${kB(f.bytes).padStart(9)}  ${f.file}`);
    lines.push('make the largest lazy (import() in src/public/App.tsx) or keep staff code out of src/public/.');
  }
  return lines;
}

function main() {
  const dist = path.resolve(process.argv[2] ?? 'dist');
  const manifestPath = path.join(dist, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    console.error(`budget: ${manifestPath} is missing (build.manifest must be on in vite.config.ts)`);
    process.exit(1);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  // level 9, as compress.mjs writes the .gz files the server sends
  const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
  const result = checkBudget(manifest, gzipSize);
  for (const line of formatReport(result)) (result.ok ? console.log : console.error)(`budget: ${line}`);
  if (!result.ok) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
