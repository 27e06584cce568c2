// What every check of a tierprof page in headless Chromium shares: TAP-style
// results, Debian's Chromium through playwright-core (exit 77 when either is
// missing), and a page that records console errors, page errors, failed
// requests and every request it makes.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const args = process.argv.slice(2);
export const opt = (name) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};

let failed = 0;
export const ok = (cond, what) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
	if (!cond)
		failed = 1;
};

// The file under test (the first argument), or exit 1 with the usage.
export function inputFile(usage) {
	const file = args[0];
	if (!file || !existsSync(file)) {
		console.error(`usage: ${usage}`);
		process.exit(1);
	}
	return file;
}

export async function launch() {
	const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
	if (!existsSync(chromiumPath)) {
		console.log(`SKIP: no Chromium at ${chromiumPath}`);
		process.exit(77);
	}
	let chromium;
	try {
		({ chromium } = await import('playwright-core'));
	} catch (e) {
		console.log('SKIP: playwright-core is not installed (npm ci in tests/browser)');
		process.exit(77);
	}
	return chromium.launch({
		executablePath: chromiumPath,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

// Open file; errors collects what went wrong (console errors, and warnings
// too with { warnings: true }), requests every URL the page asked for.
export async function openPage(browser, file, errors, { warnings = false } = {}) {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const requests = [];
	page.on('console', (m) => {
		if (m.type() === 'error' || (warnings && m.type() === 'warning'))
			errors.push(`console ${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
	page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
	page.on('request', (r) => requests.push(r.url()));
	const url = pathToFileURL(resolve(file)).href;
	await page.goto(url, { waitUntil: 'load' });
	return { page, url, requests };
}

// The last result (no errors), and the exit code.
export function finish(errors) {
	ok(errors.length === 0, `no console or page errors${errors.length ? ': ' + errors.join('; ') : ''}`);
	process.exit(failed);
}
