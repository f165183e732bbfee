/**
 * Progress of a long step (an npm install, a native build, n8n's boot), printed so that a person waiting
 * never sees a silent stretch: a first line with what runs and how long it usually takes, then a line at
 * least every `everyMs` (default 8 s, under the 10 s a person waits before wondering) with the time so far
 * and what the step is doing now, then one line with the time it took.
 */
export interface ProgressOptions {
	/** What runs, e.g. "npm i n8n@2.41.1". */
	label: string;
	/** How long it usually takes, as measured (e.g. "about 6 min"); printed in the first line. */
	estimate?: string;
	/** What the step is doing now (a count, the last line of its output); called before each line. */
	detail?: () => string | undefined;
	log: (message: string) => void;
	everyMs?: number;
	/** The clock (tests pass their own). */
	now?: () => number;
}

export async function withProgress<T>(
	options: ProgressOptions,
	work: () => Promise<T>,
): Promise<T> {
	const { label, estimate, detail, log, everyMs = 8_000, now = Date.now } = options;
	const started = now();
	log(estimate ? `${label} (${estimate})` : label);
	const timer = setInterval(() => {
		const what = safeDetail(detail);
		log(`${label}: ${formatDuration(now() - started)} so far${what ? `, ${what}` : ''}`);
	}, everyMs);
	try {
		const result = await work();
		log(`${label}: done in ${formatDuration(now() - started)}`);
		return result;
	} catch (error) {
		log(`${label}: failed after ${formatDuration(now() - started)}`);
		throw error;
	} finally {
		clearInterval(timer);
	}
}

/** "7 s", "1 min 05 s": how a person reads a wait. */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.floor(seconds / 60);
	return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** The last non-empty line of a command's output, cut to `max` characters (for a progress detail). */
export function lastLine(text: string, max = 100): string | undefined {
	const lines = text.split(/\r?\n/).filter((l) => l.trim());
	const line = lines[lines.length - 1]?.trim();
	if (!line) return undefined;
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function safeDetail(detail: (() => string | undefined) | undefined): string | undefined {
	try {
		return detail?.();
	} catch {
		return undefined; // a detail is a courtesy; a failing one must not end the step
	}
}
