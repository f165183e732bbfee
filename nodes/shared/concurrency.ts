/**
 * Runs `task` over `inputs` with at most `limit` in flight; results keep the input order. With
 * `stopOnError`, no new task starts after the first failure; the in-flight ones finish and the failure of
 * the lowest index is thrown (so the error a user sees does not depend on timing).
 */
export async function mapConcurrent<I, O>(
	inputs: readonly I[],
	limit: number,
	task: (input: I, index: number) => Promise<O>,
	stopOnError = false,
): Promise<O[]> {
	const results = new Array<O>(inputs.length);
	const failures: Array<{ index: number; error: unknown }> = [];
	let next = 0;
	const worker = async () => {
		while (next < inputs.length && !(stopOnError && failures.length)) {
			const index = next++;
			try {
				results[index] = await task(inputs[index], index);
			} catch (error) {
				failures.push({ index, error });
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker);
	await Promise.all(workers);
	if (failures.length) {
		failures.sort((a, b) => a.index - b.index);
		throw failures[0].error;
	}
	return results;
}
