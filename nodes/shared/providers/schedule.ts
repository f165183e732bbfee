/**
 * Runs tasks with at most `limit` in flight overall and at most `perGroupLimit` per group (per provider, so
 * one provider's rate limit is not hammered by the whole pool). A free slot goes to the first waiting task
 * whose group has room, so a saturated group never holds a global slot idle. Results keep input order;
 * tasks must not throw (return failures as values).
 */
export async function runGrouped<I, O>(
	inputs: readonly I[],
	options: { limit: number; perGroupLimit: number; groupOf: (input: I) => string },
	task: (input: I, index: number) => Promise<O>,
): Promise<O[]> {
	const results = new Array<O>(inputs.length);
	const waiting = inputs.map((_, index) => index);
	const running = new Map<string, number>();
	const limit = Math.max(1, options.limit);
	const perGroup = Math.max(1, options.perGroupLimit);
	let inFlight = 0;

	return new Promise<O[]>((resolve, reject) => {
		const pump = () => {
			if (waiting.length === 0 && inFlight === 0) {
				resolve(results);
				return;
			}
			for (let w = 0; w < waiting.length && inFlight < limit; ) {
				const index = waiting[w];
				const group = options.groupOf(inputs[index]);
				if ((running.get(group) ?? 0) >= perGroup) {
					w++;
					continue;
				}
				waiting.splice(w, 1);
				running.set(group, (running.get(group) ?? 0) + 1);
				inFlight++;
				task(inputs[index], index).then((value) => {
					results[index] = value;
					running.set(group, (running.get(group) ?? 1) - 1);
					inFlight--;
					pump();
				}, reject);
			}
		};
		pump();
	});
}
