import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { selectors, type Browser, type Locator, type Page } from 'playwright-core';
import { waitFor } from './processes';

/** Screenshots of what a builder sees, kept as test artifacts. */
export const editorArtifacts = path.resolve(__dirname, '../../../test-artifacts/editor');

// n8n marks its elements with data-test-id, not Playwright's default data-testid.
selectors.setTestIdAttribute('data-test-id');

/**
 * n8n's editor in Chromium, driven the way a builder uses it: the node picker, the node's panel
 * (NDV) with its own parameter and credential controls, the canvas's Execute button. Selectors are
 * n8n 2.41.1's data-test-id attributes.
 */
export class Editor {
	private constructor(
		readonly page: Page,
		private readonly baseUrl: string,
	) {}

	/** Signs in through n8n's sign-in form in a fresh browser context. */
	static async signIn(
		browser: Browser,
		baseUrl: string,
		owner: { email: string; password: string },
	): Promise<Editor> {
		const context = await browser.newContext({
			viewport: { width: 1600, height: 1000 },
			locale: 'en-US',
		});
		const page = await context.newPage();
		page.setDefaultTimeout(15_000);
		// The editor's first load (its bundles) is slow on a busy machine; steps after it are not.
		page.setDefaultNavigationTimeout(60_000);
		await page.goto(`${baseUrl}/signin`);
		await page.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.email);
		await page.getByTestId('password').locator('input').fill(owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		mkdirSync(editorArtifacts, { recursive: true });
		return new Editor(page, baseUrl);
	}

	get ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.getByTestId('canvas-plus-button').waitFor();
	}

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`);
		await this.page.getByTestId('canvas-node').first().waitFor();
	}

	/** The id in the address bar: n8n moves from /workflow/new to /workflow/<id> once it saved. */
	async workflowId(): Promise<string> {
		await this.page.waitForURL(/\/workflow\/(?!new)[^/?]+/);
		return new URL(this.page.url()).pathname.split('/')[2];
	}

	/** The first step of an empty workflow: "Add first step…", search, then the items in the picker. */
	async addFirstStep(search: string, ...items: string[]): Promise<void> {
		await this.page.getByTestId('canvas-plus-button').click();
		await this.pick(search, items);
	}

	/** A node connected to an output of `after` through that output's "+" on the canvas. */
	async addAfter(after: string, output: number, search: string, ...items: string[]): Promise<void> {
		await this.closeNdv();
		await this.page
			.locator(
				`[data-test-id="canvas-node-output-handle"][data-node-name="${after}"][data-index="${output}"]`,
			)
			.getByTestId('canvas-handle-plus-wrapper')
			.click();
		await this.pick(search, items);
	}

	private async pick(search: string, items: string[]): Promise<void> {
		await this.page.getByTestId('node-creator-search-bar').fill(search);
		for (const item of items) {
			await this.page
				.getByTestId('node-creator-item-name')
				.filter({ hasText: exactly(item) })
				.click();
		}
	}

	async openNode(name: string): Promise<void> {
		await this.closeNdv();
		await this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		await this.ndv.waitFor();
	}

	async closeNdv(): Promise<void> {
		if (await this.ndv.isVisible()) await this.ndv.getByTestId('ndv-close-button').click();
		await this.ndv.waitFor({ state: 'hidden' });
	}

	/** Whether the panel shows the parameter at all (the editor hid auth-related ones before). */
	async shows(parameter: string): Promise<boolean> {
		return await this.ndv.getByTestId(`parameter-input-${parameter}`).isVisible();
	}

	/** What a parameter shows: the chosen option's name, the text typed, or an expression's source. */
	async value(parameter: string): Promise<string> {
		const input = this.ndv.getByTestId(`parameter-input-${parameter}`);
		await input.waitFor();
		// A resource locator: its mode selector comes first; the value is in its own input or, for an
		// expression, in the inline expression editor.
		const expression = input.getByTestId('inline-expression-editor-input');
		if ((await input.getByTestId('rlc-input-container').count()) && (await expression.count()))
			return (await expression.first().innerText()).trim();
		const locator = input.getByTestId('rlc-input');
		if (await locator.count())
			return await locator
				.first()
				.evaluate((element) =>
					(element instanceof HTMLInputElement
						? element.value
						: (element.querySelector('input')?.value ?? element.textContent ?? '')
					).trim(),
				);
		const field = input.locator('input:visible, textarea:visible').first();
		if (await field.count()) return await field.inputValue();
		return (await input.getByTestId('inline-expression-editor-input').innerText()).trim();
	}

	/** Picks an option of an options parameter from its dropdown. */
	async choose(parameter: string, option: string): Promise<void> {
		await this.ndv.getByTestId(`parameter-input-${parameter}`).click();
		await this.page
			.locator('.el-select-dropdown__item:visible')
			.filter({ has: this.page.getByText(option, { exact: true }) })
			.click();
		await waitFor(
			`${parameter} to show ${option}`,
			async () => (await this.value(parameter)) === option,
			10_000,
			100,
		);
	}

	async fill(parameter: string, text: string): Promise<void> {
		const field = this.ndv
			.getByTestId(`parameter-input-${parameter}`)
			.locator('input, textarea')
			.first();
		await field.fill(text);
		await field.press('Tab');
	}

	/**
	 * Picks an item of a resource locator's list (its default mode, From List): opens the list,
	 * searches for the item's name and clicks it.
	 */
	async pickFromList(parameter: string, name: string): Promise<void> {
		const input = this.ndv.getByTestId(`parameter-input-${parameter}`);
		await input.getByTestId('rlc-input').click();
		const search = this.page.getByTestId('rlc-search').filter({ visible: true }).first();
		await search.waitFor();
		const box = (await search.locator('input').count()) ? search.locator('input').first() : search;
		await box.fill(name);
		await this.page
			.getByTestId('rlc-item')
			.filter({ visible: true, hasText: exactly(name) })
			.first()
			.click();
		await waitFor(
			`${parameter} to show ${name}`,
			async () => (await this.value(parameter)) === name,
			10_000,
			100,
		);
	}

	/** Adds a field of the panel's (only) collection, e.g. "Value" of Additional Fields, and fills it. */
	async addField(option: string, parameter: string, text: string): Promise<void> {
		await this.ndv.getByTestId('collection-parameter-add').click();
		await this.page
			.getByTestId('collection-parameter-option')
			.filter({ visible: true, hasText: exactly(option) })
			.click();
		await this.fill(parameter, text);
	}

	/** The credential slots of the open panel, in order: their label and the credential chosen. */
	async credentialSlots(): Promise<Array<{ label: string; credential: string }>> {
		const slots: Array<{ label: string; credential: string }> = [];
		for (const slot of await this.ndv.getByTestId('node-credentials-slot').all()) {
			const label = (await slot.getByTestId('credentials-label').innerText()).trim();
			const input = slot.locator('input');
			slots.push({
				label,
				credential: (await input.count()) ? await input.first().inputValue() : '',
			});
		}
		return slots;
	}

	/** Chooses a credential in the slot with this label through the slot's own dropdown. */
	async selectCredential(label: string, credential: { id: string; name: string }): Promise<void> {
		const slot = this.slot(label);
		await this.openCredentialList(slot, `node-credentials-select-item-${credential.id}`);
		await this.slotHolds(slot, credential.name);
	}

	/**
	 * Creates a credential from the slot with this label (Select Credential → Create new credential),
	 * fills its fields by parameter name and saves it; resolves with the name n8n gave it.
	 */
	async createCredential(label: string, fields: Record<string, string>): Promise<string> {
		const slot = this.slot(label);
		await this.openCredentialList(slot, 'node-credentials-select-item-new');
		const modal = this.page.getByTestId('editCredential-modal');
		for (const [parameter, text] of Object.entries(fields)) {
			await modal.getByTestId(`parameter-input-${parameter}`).locator('input').fill(text);
		}
		const name = (await modal.getByTestId('credential-name').innerText()).trim();
		await modal.getByTestId('credential-save-button').click();
		await modal.waitFor({ state: 'hidden' });
		await this.slotHolds(slot, name);
		return name;
	}

	private slot(label: string): Locator {
		return this.ndv.getByTestId('node-credentials-slot').filter({
			has: this.page.getByTestId('credentials-label').filter({ hasText: exactly(label) }),
		});
	}

	/**
	 * Opens the slot's dropdown and clicks the entry with this test id. A click while the panel is
	 * still opening can miss, so the dropdown is opened again until the entry shows. Each dropdown
	 * opened before leaves its list in the page: only the open one is visible.
	 */
	private async openCredentialList(slot: Locator, entryTestId: string): Promise<void> {
		const entry = this.page.getByTestId(entryTestId).filter({ visible: true });
		const openList = this.page.locator('.el-select-dropdown').filter({ visible: true });
		await waitFor(
			`${entryTestId} in the credential dropdown`,
			async () => {
				if (await entry.count()) return true;
				if (!(await openList.count())) await slot.getByTestId('node-credentials-select').click();
				return false;
			},
			15_000,
			250,
		);
		await entry.click();
	}

	private async slotHolds(slot: Locator, name: string): Promise<void> {
		await waitFor(
			`the credential slot to hold ${name}`,
			async () => (await slot.locator('input').first().inputValue()) === name,
			10_000,
			100,
		);
	}

	/** Ctrl+S; the caller waits for the saved workflow through the API. */
	async save(): Promise<void> {
		await this.closeNdv();
		await this.page.keyboard.press('Control+s');
	}

	/** The canvas's "Execute workflow" button (a manual execution, saved by n8n). */
	async execute(): Promise<void> {
		await this.closeNdv();
		await this.page.getByTestId('execute-workflow-button').click();
	}

	async screenshot(name: string): Promise<void> {
		await this.page.screenshot({ path: path.join(editorArtifacts, `${name}.png`) });
	}
}

function exactly(text: string): RegExp {
	return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
