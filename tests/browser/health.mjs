// Open a tierprof health HTML report in headless Chromium: it loads with no
// request beyond the file, no console or page error, shows a tier-mix bar
// per process and, with --timelines N, at least N tier timelines.
//
//   node health.mjs REPORT.html [--timelines N] [--screenshot PNG]
// Exit: 0 pass, 1 fail, 77 Chromium or playwright-core missing.
import { opt, ok, inputFile, launch, openPage, finish } from './harness.mjs';

const file = inputFile('node health.mjs REPORT.html [--timelines N] [--screenshot PNG]');
const browser = await launch();
const errors = [];
try {
	const { page, url, requests } = await openPage(browser, file, errors, { warnings: true });
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
finish(errors);
