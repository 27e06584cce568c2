// Open a tierprof flame graph SVG in headless Chromium and drive it the way a
// user would: hover a box (tooltip with samples and tier mix), search through
// the Search button's prompt (matched share shown), click to zoom, reset.
// Fails on any console error or page error.
//
//   node flame.mjs FILE.svg [options]
//
// --hover PREFIX     the box to hover and zoom: the widest whose name starts
//                    with PREFIX (default: the widest function box)
// --mixed            hover the widest box that ran in several tiers, and
//                    expect its tooltip to give the mix ("82% Sparkplug, 18% TurboFan")
// --legend T1,T2..   tiers the legend must show
// --search REGEX     what to search (default: the hovered box's name)
// --screenshot PNG   save a PNG of the graph with the tooltip showing
// --clip-bottom PX   the screenshot keeps only the bottom PX pixels (where a
//                    flame graph's wide boxes and the legend are)
// --diff             a differential flame graph (tierprof diff --flame): boxes
//                    filled red (grew) and blue (shrank), tooltips with both
//                    runs' shares and the change; widths in the file's units
// Exit: 0 pass, 1 fail, 77 Chromium or playwright-core missing.
import { args, opt, ok, inputFile, launch, openPage, finish } from './harness.mjs';

const file = inputFile('node flame.mjs FILE.svg [--hover PREFIX] [--mixed] [--legend T,..] [--search RE] [--diff] [--screenshot PNG [--clip-bottom PX]]');
const browser = await launch();
const errors = [];
try {
	const { page, url, requests } = await openPage(browser, file, errors);
	ok(await page.evaluate(() => !document.querySelector('parsererror') &&
		document.documentElement.localName === 'svg'), 'the SVG parses');
	ok(requests.every((u) => u === url), 'no request beyond the file itself');

	const info = await page.evaluate(() => {
		const svg = document.documentElement;
		const boxes = [...document.querySelectorAll('#frames > g')].map((g, i) => ({
			i,
			name: (g.querySelector('title')?.textContent || '').split('\n')[0],
			w: +g.getAttribute('data-w'),
			d: +g.getAttribute('data-d'),
			mixed: !!g.querySelector('svg'),
			fill: g.querySelector('rect')?.getAttribute('fill') || '',
		}));
		return {
			width: +svg.getAttribute('width'),
			pad: +svg.getAttribute('data-pad'),
			total: +svg.getAttribute('data-total'),
			inverted: svg.getAttribute('data-inverted') === '1',
			legend: [...document.querySelectorAll('#legend text')].map((t) => t.textContent),
			boxes,
		};
	});
	ok(info.boxes.length > 1 && info.total > 0, `${info.boxes.length} boxes, ${info.total} ${args.includes('--diff') ? 'width units' : 'samples'}`);
	ok(info.legend.length > 0, `legend: ${info.legend.join(' | ')}`);
	for (const t of (opt('--legend') || '').split(',').filter(Boolean))
		ok(info.legend.some((l) => l.startsWith(`${t} `)), `legend shows ${t}`);
	const diff = args.includes('--diff');
	if (diff) {
		// red: #ffXXXX with equal green and blue; blue: #XXXXff with equal red and green
		const grew = info.boxes.filter((b) => /^#ff([0-9a-f]{2})\1$/.test(b.fill) && b.fill !== '#ffffff');
		const shrank = info.boxes.filter((b) => /^#([0-9a-f]{2})\1ff$/.test(b.fill) && b.fill !== '#ffffff');
		ok(grew.length > 0, `${grew.length} boxes filled red (grew), e.g. ${grew[0] && grew[0].name}`);
		ok(shrank.length > 0, `${shrank.length} boxes filled blue (shrank), e.g. ${shrank[0] && shrank[0].name}`);
		ok(['grew', 'shrank', 'no change'].every((k) => info.legend.includes(k)), 'legend: grew, shrank, no change');
	}

	const wanted = opt('--hover');
	const mixed = args.includes('--mixed');
	// function boxes: below the root and, top-down, the thread names
	const candidates = info.boxes.filter((b) => b.d >= (info.inverted ? 1 : 2) && (!wanted || b.name.startsWith(wanted)) &&
		(!mixed || b.mixed));
	candidates.sort((a, b) => b.w - a.w);
	const target = candidates[0];
	ok(!!target, `a box to hover${wanted ? ` named ${wanted}...` : ''}${mixed ? ' in several tiers' : ''}: ${target && target.name}`);
	if (!target)
		throw new Error('nothing to hover');
	const box = page.locator('#frames > g').nth(target.i).locator('rect').first();

	// Search through the button, as a user would: it opens a prompt.
	const term = opt('--search') || target.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	page.once('dialog', (d) => d.accept(term));
	await page.click('#search');
	const matched = await page.textContent('#matched');
	const pct = +(await page.evaluate(() => document.documentElement.getAttribute('data-matched')));
	ok(/^Matched: \d+\.\d% /.test(matched) && pct > 0, `search /${term}/: "${matched}"`);
	ok(pct >= (100 * target.w) / info.total - 0.01, `matched share ${pct}% covers the box (${target.w} samples)`);
	await page.click('#search'); // Reset Search
	ok((await page.textContent('#matched')) === '', 'search reset');

	// Zoom: the clicked box fills the width, boxes elsewhere hide.
	await box.click();
	const zoom = await page.evaluate((i) => {
		const g = document.querySelectorAll('#frames > g')[i];
		const hidden = [...document.querySelectorAll('#frames > g')].filter((x) => x.style.display === 'none').length;
		return {
			width: +g.querySelector('rect').getAttribute('width'),
			hidden,
			unzoom: getComputedStyle(document.getElementById('unzoom')).display,
		};
	}, target.i);
	ok(Math.abs(zoom.width - (info.width - 2 * info.pad)) < 0.5, `zoomed box is ${zoom.width} px wide`);
	ok(zoom.unzoom !== 'none', 'Reset Zoom shows');
	await page.click('#unzoom');
	const back = await page.evaluate((i) => {
		const g = document.querySelectorAll('#frames > g')[i];
		return {
			width: +g.querySelector('rect').getAttribute('width'),
			hidden: [...document.querySelectorAll('#frames > g')].filter((x) => x.style.display === 'none').length,
		};
	}, target.i);
	ok(back.hidden === 0 && Math.abs(back.width - (target.w * (info.width - 2 * info.pad)) / info.total) < 0.5,
		'Reset Zoom restores every box');

	// Hover: the tooltip names the box and gives its samples and tier mix.
	await box.hover();
	const tip = await page.evaluate(() => ({
		visible: document.getElementById('tip').getAttribute('visibility'),
		lines: [...document.querySelectorAll('#tip tspan')].map((t) => t.textContent),
		details: document.getElementById('details').textContent,
	}));
	ok(tip.visible === 'visible', 'tooltip visible on hover');
	ok(tip.lines[0] && target.name.startsWith(tip.lines[0].replace(/\.\.$/, '')), `tooltip names the box: ${tip.lines[0]}`);
	if (diff) {
		ok(/^base: \d+\.\d+% \(\d+ samples?\)$/.test(tip.lines[1] || '') &&
			/^new: \d+\.\d+% \(\d+ samples?\)$/.test(tip.lines[2] || ''), `tooltip shares: ${tip.lines[1]} / ${tip.lines[2]}`);
		ok(/^change: [+-]\d+\.\d+ pp$/.test(tip.lines[3] || ''), `tooltip change: ${tip.lines[3]}`);
		ok(/^new tiers: /.test(tip.lines[4] || '') && /^base tiers: /.test(tip.lines[5] || ''), 'tooltip tier mixes of both runs');
	} else {
		ok(/^\d+ samples? \(/.test(tip.lines[1] || ''), `tooltip samples: ${tip.lines[1]}`);
		ok(tip.lines.length >= 3, `tooltip tier mix: ${tip.lines.slice(2).join(' / ')}`);
	}
	if (mixed)
		ok(/^(\d+|<1|>99)% [^,]+(, (\d+|<1|>99)% [^,]+)+$/.test(tip.lines[2] || ''), `tooltip gives the mix: ${tip.lines[2]}`);
	console.log(`# tooltip: ${tip.lines.join(' / ')}`);

	const shot = opt('--screenshot');
	if (shot) {
		// fullPage measures an HTML body, which an SVG document lacks:
		// size the viewport to the image instead.
		const h = await page.evaluate(() => +document.documentElement.getAttribute('height'));
		await page.setViewportSize({ width: info.width, height: Math.min(h, 4000) });
		await box.hover();
		const clip = +(opt('--clip-bottom') || 0);
		await page.screenshot({
			path: shot,
			timeout: 20000,
			clip: clip ? { x: 0, y: Math.max(0, h - clip), width: info.width, height: Math.min(clip, h) } : undefined,
		});
		console.log(`# screenshot: ${shot}`);
	}
} catch (e) {
	errors.push(`test: ${e.message}`);
} finally {
	await browser.close();
}
finish(errors);
