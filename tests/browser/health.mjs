// Open a tierprof health HTML report in headless Chromium: it loads with no
// request beyond the file, no console or page error, shows a tier-mix bar
// per process and, with --timelines N, at least N tier timelines.
//
//   node health.mjs REPORT.html [--timelines N] [--screenshot PNG]
// Exit: 0 pass, 1 fail, 77 Chromium or playwright-core missing.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const file = args[0];
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
let failed = 0;
const ok = (cond, what) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
	if (!cond)
		failed = 1;
};

if (!file || !existsSync(file)) {
	console.error('usage: node health.mjs REPORT.html [--timelines N] [--screenshot PNG]');
	process.exit(1);
}
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

const browser = await chromium.launch({
	executablePath: chromiumPath,
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('console', (m) => {
		if (m.type() === 'error' || m.type() === 'warning')
			errors.push(`console ${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
	page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
	const requests = [];
	page.on('request', (r) => requests.push(r.url()));
	const url = pathToFileURL(resolve(file)).href;
	await page.goto(url, { waitUntil: 'load' });
	ok(requests.every((u) => u === url), `no request beyond the file itself (${requests.length})`);
	const info = await page.evaluate(() => ({
		title: document.title,
		sections: document.querySelectorAll('section.capture').length,
		bars: [...document.querySelectorAll('svg.tiermix')].map((s) => s.querySelectorAll('rect').length),
		barWidths: [...document.querySelectorAll('svg.tiermix')].map((s) => s.getBoundingClientRect().width),
		timelines: document.querySelectorAll('svg.timeline').length,
		stripes: [...document.querySelectorAll('svg.timeline')].map((s) => new Set([...s.querySelectorAll('rect')].map((r) => r.getAttribute('fill'))).size),
		tables: document.querySelectorAll('table').length,
	}));
	ok(/JIT-health/.test(info.title), `title: ${info.title}`);
	ok(info.sections >= 1, `${info.sections} capture sections`);
	ok(info.bars.length >= 2 && info.bars.every((n) => n >= 1), `tier-mix bars: ${info.bars.join(',')} segments`);
	ok(info.barWidths.every((w) => w > 100), 'the bars are drawn');
	const want = +(opt('--timelines') || 0);
	ok(info.timelines >= want, `${info.timelines} tier timelines (want ${want}+), colours per timeline: ${info.stripes.join(',')}`);
	if (want)
		ok(info.stripes.some((n) => n >= 2), 'a timeline shows more than one tier (deopt loop stripes)');
	const shot = opt('--screenshot');
	if (shot) {
		await page.screenshot({ path: shot, fullPage: true, timeout: 20000 });
		console.log(`# screenshot: ${shot}`);
	}
} catch (e) {
	errors.push(`test: ${e.message}`);
} finally {
	await browser.close();
}
ok(errors.length === 0, `no console or page errors${errors.length ? ': ' + errors.join('; ') : ''}`);
process.exit(failed);
