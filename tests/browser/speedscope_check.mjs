// Check a tierprof speedscope file the way speedscope reads it:
//  1. against speedscope's own JSON schema (file-format-schema.json from the
//     speedscope package; without the package, against the spec's required
//     fields written out below), plus what the schema cannot say: frame
//     indices in range, one weight per sample, endValue >= startValue;
//  2. with speedscope's importer: the speedscope web app from the npm package,
//     served on 127.0.0.1, loads the file (#profileURL=) in headless Chromium
//     and must title the page with its name, without errors.
//
//   node speedscope_check.mjs FILE.speedscope.json [--summary]
//
// --summary prints "leaf-name weight" lines (weights summed by the leaf
// frame's name) for the shell test to compare with the report.
// Exit: 0 pass, 1 fail. Step 2 is skipped (said so) without Chromium,
// playwright-core or speedscope.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const file = process.argv[2];
const summary = process.argv.includes('--summary');
let failed = 0;
const ok = (cond, what) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
	if (!cond)
		failed = 1;
};
if (!file || !existsSync(file)) {
	console.error('usage: node speedscope_check.mjs FILE.speedscope.json [--summary]');
	process.exit(1);
}
const text = readFileSync(file, 'utf8');
const doc = JSON.parse(text);

// The spec's required fields, for when the package is not installed.
const fallbackSchema = {
	definitions: {
		File: {
			type: 'object', required: ['$schema', 'profiles', 'shared'],
			properties: {
				$schema: { const: 'https://www.speedscope.app/file-format-schema.json' },
				shared: { type: 'object', required: ['frames'], properties: { frames: { type: 'array', items: { $ref: '#/definitions/Frame' } } } },
				profiles: { type: 'array', items: { $ref: '#/definitions/Sampled' } },
			},
		},
		Frame: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, file: { type: 'string' } } },
		Sampled: {
			type: 'object', required: ['endValue', 'name', 'samples', 'startValue', 'type', 'unit', 'weights'],
			properties: {
				type: { const: 'sampled' }, name: { type: 'string' },
				unit: { enum: ['none', 'nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'bytes'] },
				startValue: { type: 'number' }, endValue: { type: 'number' },
				samples: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
				weights: { type: 'array', items: { type: 'number' } },
			},
		},
	},
	$ref: '#/definitions/File',
};

// The subset of JSON Schema draft 7 the speedscope schema uses.
function validate(schema, root, v, path, errs) {
	if (schema.$ref) {
		const target = schema.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k], root);
		validate(target, root, v, path, errs);
	}
	if (schema.anyOf) {
		const any = schema.anyOf.some((s) => {
			const e = [];
			validate(s, root, v, path, e);
			return e.length === 0;
		});
		if (!any)
			errs.push(`${path}: matches none of anyOf`);
	}
	if ('const' in schema && v !== schema.const)
		errs.push(`${path}: ${JSON.stringify(v)} is not ${JSON.stringify(schema.const)}`);
	if (schema.enum && !schema.enum.includes(v))
		errs.push(`${path}: ${JSON.stringify(v)} not in ${schema.enum}`);
	if (schema.type) {
		const t = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
		const want = schema.type === 'integer' ? 'number' : schema.type;
		if (t !== want) {
			errs.push(`${path}: ${t}, not ${schema.type}`);
			return;
		}
	}
	if (schema.required && v && typeof v === 'object')
		for (const k of schema.required)
			if (!(k in v))
				errs.push(`${path}: no ${k}`);
	if (schema.properties && v && typeof v === 'object')
		for (const [k, s] of Object.entries(schema.properties))
			if (k in v)
				validate(s, root, v[k], `${path}.${k}`, errs);
	if (schema.items && Array.isArray(v))
		for (let i = 0; i < v.length && errs.length < 20; i++)
			validate(schema.items, root, v[i], `${path}[${i}]`, errs);
}

const pkgSchema = join(here, 'node_modules/speedscope/dist/release/file-format-schema.json');
const official = existsSync(pkgSchema);
const schema = official ? JSON.parse(readFileSync(pkgSchema, 'utf8')) : fallbackSchema;
const errs = [];
validate(official ? { $ref: schema.$ref || '#/definitions/FileFormat.File' } : schema, schema, doc, '$', errs);
ok(errs.length === 0, `valid against ${official ? "speedscope's file-format-schema.json" : 'the spec\'s required fields'}${errs.length ? ': ' + errs.slice(0, 5).join('; ') : ''}`);

const nframes = doc.shared.frames.length;
let bad = 0, totalWeight = 0, nsamples = 0;
const leaf = new Map();
for (const p of doc.profiles) {
	if (p.samples.length !== p.weights.length || p.endValue < p.startValue)
		bad++;
	p.samples.forEach((s, i) => {
		if (!s.every((f) => Number.isInteger(f) && f >= 0 && f < nframes))
			bad++;
		const w = p.weights[i];
		if (!(w >= 0))
			bad++;
		totalWeight += w;
		nsamples++;
		if (s.length) {
			const name = doc.shared.frames[s[s.length - 1]].name;
			leaf.set(name, (leaf.get(name) || 0) + w);
		}
	});
}
ok(bad === 0, `${doc.profiles.length} profiles, ${nsamples} stacks, ${nframes} frames: indices in range, one weight per stack`);
if (summary)
	for (const [name, w] of leaf)
		console.log(`# leaf ${w} ${name}`);

async function importer() {
	const app = join(here, 'node_modules/speedscope/dist/release');
	const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
	let chromium;
	try {
		({ chromium } = await import('playwright-core'));
	} catch (e) {
		chromium = null;
	}
	if (!existsSync(join(app, 'index.html')) || !chromium || !existsSync(chromiumPath)) {
		console.log('# skip: speedscope importer (needs Chromium, playwright-core and speedscope: npm ci in tests/browser)');
		return;
	}
	const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.woff2': 'font/woff2', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain' };
	const server = createServer((req, res) => {
		const url = decodeURIComponent(req.url.split('?')[0].split('#')[0]);
		const path = url === '/profile.json' ? resolve(file) : join(app, url === '/' ? 'index.html' : url);
		if (!path.startsWith(app) && path !== resolve(file) || !existsSync(path)) {
			res.writeHead(404);
			res.end();
			return;
		}
		res.writeHead(200, { 'content-type': types[path.slice(path.lastIndexOf('.'))] || 'application/octet-stream' });
		res.end(readFileSync(path));
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const port = server.address().port;
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const errors = [];
	try {
		const page = await browser.newPage();
		page.on('pageerror', (e) => errors.push(e.message));
		page.on('console', (m) => {
			if (m.type() === 'error')
				errors.push(m.text());
		});
		await page.goto(`http://127.0.0.1:${port}/#profileURL=${encodeURIComponent(`http://127.0.0.1:${port}/profile.json`)}`);
		await page.waitForFunction(() => / - speedscope$/.test(document.title), null, { timeout: 20000 });
		const title = await page.title();
		ok(title.startsWith(doc.name || ''), `speedscope's importer loaded it: "${title}"`);
	} catch (e) {
		errors.push(e.message);
	} finally {
		await browser.close();
		server.close();
	}
	ok(errors.length === 0, `speedscope: no errors${errors.length ? ': ' + errors.join('; ') : ''}`);
}
await importer();
process.exit(failed);
