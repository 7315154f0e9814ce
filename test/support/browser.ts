import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumFlags = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	// *.localhost host names (go.shop.localhost, shop.localhost) always reach the test servers on IPv4.
	'--host-resolver-rules=MAP *.localhost 127.0.0.1',
];

/** Installs Debian's chromium package when it is missing (the test machine runs as root). */
export function ensureChromium(): string {
	if (existsSync(chromiumPath)) return chromiumPath;
	if (process.getuid?.() !== 0) throw new Error(`${chromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium)`);
	execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium but ${chromiumPath} is still missing`);
	return chromiumPath;
}

/** Launches headless Chromium through playwright-core. Close it in afterAll. */
export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: ensureChromium(), args: chromiumFlags, headless: true, timeout: 60_000 });
}

/**
 * What a recipient's phone sends. Headless Chromium's own user agent says "HeadlessChrome", which
 * the redirect rightly classifies as a bot; a recipient tapping a link is a phone browser.
 */
export const phoneUserAgent =
	'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

/** A fresh browser context (own cookies and storage) that looks like a recipient's phone. */
export function newPhoneContext(browser: Browser): Promise<BrowserContext> {
	return browser.newContext({ userAgent: phoneUserAgent, viewport: { width: 412, height: 915 } });
}
