/** Prints a benchmark table: a header, aligned rows, and a blank line. */
export function printTable(
	title: string,
	header: string[],
	rows: Array<Array<string | number>>,
): void {
	const cells = [header, ...rows.map((r) => r.map(String))];
	const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
	const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
	const out = [
		`\n### ${title}`,
		line(header),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...cells.slice(1).map(line),
	];
	process.stdout.write(`${out.join('\n')}\n`);
}

export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

/** Samples RSS every few ms while `work` runs; returns its result and the peak in MB. */
export async function withPeakRss<T>(
	work: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number }> {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 5);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, peakRssMb: peak / 1024 / 1024 };
	} finally {
		clearInterval(timer);
	}
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
