/**
 * Sums of many small costs. A spend report adds up to millions of values like 2.1e-05; plain float addition
 * drifts once the running total is large next to each term. Integer micro-dollars would lose the sub-micro
 * costs LiteLLM logs for cheap models (1.5e-07), so this uses Neumaier's compensated summation (Kahan-Babuska):
 * the rounding error of each addition is kept apart and added back at the end. Exact to about 1e-15 relative
 * for any row count, one object per group, no growth with rows.
 */
export class CompensatedSum {
	private sum = 0;

	private compensation = 0;

	add(value: number): void {
		const total = this.sum + value;
		if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - total + value;
		else this.compensation += value - total + this.sum;
		this.sum = total;
	}

	addSum(other: CompensatedSum): void {
		this.add(other.sum);
		this.add(other.compensation);
	}

	get value(): number {
		return this.sum + this.compensation;
	}
}

/** A dollar amount rounded for people, never for the raw fields: cents above $1, 4 significant digits below. */
export function roundUsd(value: number): number {
	if (value === 0) return 0;
	if (Math.abs(value) >= 1) return Math.round(value * 100) / 100;
	return Number(value.toPrecision(4));
}
