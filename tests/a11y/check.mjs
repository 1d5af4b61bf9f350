// check: the HTML scorecards in Debian's Chromium, driven by puppeteer-core
// over the DevTools protocol. Nothing is fetched from the network: the pages
// are files, axe-core is read from the folder the test setup installed.
//
//   node check.mjs axe   CHROMIUM PAGE...   axe-core on every page, WCAG 2.0/2.1
//                                           A and AA; exits 1 on any violation
//   node check.mjs keys  CHROMIUM PAGE      tabs through the page: every link and
//                                           control is reached, focus is visible,
//                                           the skip link leads to the content
//   node check.mjs shot  CHROMIUM PAGE OUT WIDTH   a full-page PNG at WIDTH px
//
// NODE_PATH is not used: the modules are resolved from CRUSCOTTO_TEST_NODE
// (node_modules below it).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const base = process.env.CRUSCOTTO_TEST_NODE;
if (!base) {
	console.error('check: CRUSCOTTO_TEST_NODE is not set');
	process.exit(1);
}
const require = createRequire(path.join(base, 'package.json'));
let puppeteer, axeSource;
try {
	puppeteer = require('puppeteer-core');
	axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
	console.error(`check: axe-core or puppeteer-core missing in ${base} (test.sh installs them): ${e.message}`);
	process.exit(1);
}

const [mode, chromium, ...rest] = process.argv.slice(2);
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function launch() {
	return puppeteer.launch({
		executablePath: chromium,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--disable-quic'],
	});
}

// Refuses every request that is not a local file: a page that needed the
// network would fail here.
async function offline(page, remote) {
	await page.setRequestInterception(true);
	page.on('request', (req) => {
		if (req.url().startsWith('file:') || req.url().startsWith('data:')) {
			req.continue();
		} else {
			remote.push(req.url());
			req.abort();
		}
	});
}

async function runAxe(browser, file) {
	const page = await browser.newPage();
	const remote = [];
	await offline(page, remote);
	await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
	await page.addScriptTag({ content: axeSource });
	const result = await page.evaluate(async (tags) => {
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
		return {
			violations: r.violations.map((v) => ({
				id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
				count: v.nodes.length,
			})),
			passes: r.passes.length,
		};
	}, tags);
	await page.close();
	return { ...result, remote };
}

async function axeMode(pages) {
	const browser = await launch();
	let bad = 0;
	try {
		for (const file of pages) {
			const r = await runAxe(browser, file);
			if (r.remote.length) {
				bad++;
				console.error(`check: ${file} asked the network for ${r.remote.join(', ')}`);
			}
			if (r.violations.length) {
				bad++;
				console.error(`check: ${file}: ${r.violations.length} axe violation(s)`);
				for (const v of r.violations) {
					console.error(`  ${v.id} (${v.impact}, ${v.count} node(s)): ${v.help}`);
					for (const n of v.nodes) console.error(`    ${n.replace(/\n/g, ' ')}`);
				}
			} else {
				console.log(`check: ${path.basename(path.dirname(file))}/${path.basename(file)}: ` +
					`0 violations, ${r.passes} rules passed`);
			}
		}
	} finally {
		await browser.close();
	}
	return bad ? 1 : 0;
}

async function keysMode(file) {
	const browser = await launch();
	let bad = 0;
	const fail = (m) => { bad++; console.error(`check: keyboard: ${m}`); };
	try {
		const page = await browser.newPage();
		const remote = [];
		await offline(page, remote);
		await page.setViewport({ width: 390, height: 844 });
		await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
		// Every element a keyboard user must reach, numbered in DOM order.
		const total = await page.evaluate(() => {
			const sel = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
			const all = [...document.querySelectorAll(sel)].filter((e) => !e.disabled);
			all.forEach((e, i) => e.setAttribute('data-kb', String(i)));
			return all.length;
		});
		if (total < 5) fail(`only ${total} focusable elements`);
		const seen = new Set();
		let first = null, invisible = [], last = -1, disorder = 0;
		for (let i = 0; i < total + 10; i++) {
			await page.keyboard.press('Tab');
			const f = await page.evaluate(() => {
				const e = document.activeElement;
				if (!e || e === document.body) return null;
				const cs = getComputedStyle(e);
				const r = e.getBoundingClientRect();
				const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) ||
					cs.boxShadow !== 'none';
				return { kb: e.getAttribute('data-kb'), tag: e.tagName, text: (e.textContent || '').trim().slice(0, 40),
					ring, onscreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 };
			});
			if (!f) continue;
			if (first === null) first = f;
			if (f.kb === null) fail(`focus reached an element outside the list: ${f.tag} ${f.text}`);
			else if (!seen.has(f.kb)) {
				if (Number(f.kb) < last) disorder++;
				last = Number(f.kb);
				seen.add(f.kb);
			}
			if (!f.ring || !f.onscreen) invisible.push(`${f.tag} "${f.text}"`);
		}
		if (!first || !first.text.match(/^(Salta al contenuto|Skip to content)$/))
			fail(`the first Tab does not reach the skip link (${first && first.text})`);
		if (disorder) fail(`focus left document order ${disorder} time(s)`);
		if (seen.size !== total) fail(`reached ${seen.size} of ${total} links and controls`);
		if (invisible.length) fail(`focus not visible on ${invisible.slice(0, 5).join(', ')}`);
		// The skip link leads to the content: Enter on it, then the next Tab
		// lands inside <main>.
		await page.evaluate(() => document.activeElement && document.activeElement.blur());
		await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		const hash = await page.evaluate(() => location.hash);
		await page.keyboard.press('Tab');
		const inMain = await page.evaluate(() => !!(document.activeElement && document.activeElement.closest('main')));
		if (hash !== '#main' || !inMain) fail(`the skip link does not lead into <main> (hash ${hash})`);
		if (remote.length) fail(`the page asked the network for ${remote.join(', ')}`);
		if (!bad) console.log(`check: keyboard: ${total} links and controls reached in order, focus visible, skip link works`);
	} finally {
		await browser.close();
	}
	return bad ? 1 : 0;
}

async function shotMode(file, out, width) {
	const browser = await launch();
	try {
		const page = await browser.newPage();
		await offline(page, []);
		await page.setViewport({ width: Number(width), height: 900 });
		await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
		await page.screenshot({ path: out, fullPage: false });
	} finally {
		await browser.close();
	}
	return 0;
}

let code = 2;
try {
	if (mode === 'axe') code = await axeMode(rest);
	else if (mode === 'keys') code = await keysMode(rest[0]);
	else if (mode === 'shot') code = await shotMode(rest[0], rest[1], rest[2]);
	else console.error('usage: check.mjs axe|keys|shot CHROMIUM PAGE...');
} catch (e) {
	console.error(`check: ${e.stack || e}`);
	code = 1;
}
process.exit(code);
