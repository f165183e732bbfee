/**
 * `n8n execute --rawOutput` prints log lines and then the run as pretty-printed JSON (on failure the same
 * JSON goes through the logger, after "Execution error:"). The run starts at the first line that begins
 * with `{` and, being pretty-printed, ends at the next line that is exactly `}`.
 */
import type { IRun } from 'n8n-workflow';

export function parseRunFromStdout(stdout: string): IRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start < 0) return undefined;
	for (let end = start; end < lines.length; end++) {
		if (lines[end].trimEnd() !== '}' && !(end === start && lines[end].trimEnd().endsWith('}')))
			continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n')) as IRun;
		} catch {
			// a `}` line inside a multi-line string value: keep looking
		}
	}
	return undefined;
}
