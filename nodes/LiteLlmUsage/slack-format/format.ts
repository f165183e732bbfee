/**
 * Text and Slack Block Kit for people: USD with sensible rounding, a percentage bar, and small block builders
 * (header, section, fields, context). Amounts here are for reading; the raw numbers travel in other fields.
 */
import type { IDataObject } from 'n8n-workflow';

/** $1,234 · $12.34 · $0.05 · $0.0042 · $0.00 */
export function formatUsd(value: number): string {
	if (!Number.isFinite(value)) return '$?';
	const sign = value < 0 ? '-' : '';
	const abs = Math.abs(value);
	if (abs === 0) return '$0.00';
	if (abs >= 1000) return `${sign}$${Math.round(abs).toLocaleString('en-US')}`;
	if (abs >= 0.01) return `${sign}$${abs.toFixed(2)}`;
	return `${sign}$${Number(abs.toPrecision(2)).toFixed(Math.max(2, 1 - Math.floor(Math.log10(abs))))}`;
}

export function formatPercent(value: number): string {
	if (!Number.isFinite(value)) return '?%';
	return Math.abs(value) >= 10 ? `${Math.round(value)}%` : `${value.toFixed(1)}%`;
}

export function formatCount(value: number): string {
	if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 0 : 1)}M`;
	if (value >= 1e4) return `${Math.round(value / 1000)}k`;
	return value.toLocaleString('en-US');
}

/** `▓▓▓▓▓░░░░░ 52%`, capped at the full bar for over-budget values. */
export function percentBar(percent: number, width = 10): string {
	const filled = Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
	return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${formatPercent(percent)}`;
}

/** Slack escapes: &, <, > in mrkdwn. */
export function escapeSlack(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function header(text: string): IDataObject {
	return { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150), emoji: true } };
}

export function section(mrkdwn: string): IDataObject {
	return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn.slice(0, 3000) } };
}

/** A section with up to 10 two-column fields. */
export function fields(pairs: Array<[string, string]>): IDataObject {
	return {
		type: 'section',
		fields: pairs.slice(0, 10).map(([label, value]) => ({
			type: 'mrkdwn',
			text: `*${escapeSlack(label)}*\n${value}`.slice(0, 2000),
		})),
	};
}

export function context(mrkdwn: string): IDataObject {
	return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn.slice(0, 3000) }] };
}

export function divider(): IDataObject {
	return { type: 'divider' };
}

/** Rows as a monospace table in one section (Slack has no table block); long lists are cut with a note. */
export function tableSection(rows: string[][], maxRows = 15): IDataObject {
	const shown = rows.slice(0, maxRows + 1);
	const widths = shown[0].map((_, c) => Math.max(...shown.map((r) => (r[c] ?? '').length)));
	const lines = shown.map((r) =>
		r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
	);
	if (rows.length > maxRows + 1) lines.push(`… ${rows.length - maxRows - 1} more`);
	let text = lines.join('\n');
	if (text.length > 2900) text = `${text.slice(0, 2900)}\n…`;
	return section(`\`\`\`${text}\`\`\``);
}
