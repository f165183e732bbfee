/**
 * Python's `str(float)` (repr), which LiteLLM uses for `x-litellm-response-cost` and the spend headers:
 * the shortest round-trip digits (the same digits JS prints), but scientific notation when the decimal
 * exponent is below -4 or at least 16, with a signed two-digit exponent (`2.1e-05`, `1e+16`), and a
 * trailing `.0` on integral values (`3.0`). JS would print `0.000021` and `3`.
 */
export function pyFloat(value: number): string {
	if (Number.isNaN(value)) return 'nan';
	if (value === Infinity) return 'inf';
	if (value === -Infinity) return '-inf';
	if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
	const [mantissa, expText] = value.toExponential().split('e');
	const exponent = Number(expText);
	if (exponent < -4 || exponent >= 16) {
		const sign = exponent < 0 ? '-' : '+';
		return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
	}
	const text = String(value);
	return text.includes('.') ? text : `${text}.0`;
}

/**
 * A Python value as `str()`/f-string prints it inside LiteLLM messages: ints stay ints (YAML `5` is an int in
 * Python), other numbers use `pyFloat`, lists use repr (`['a', 'b']`), null is `None`.
 */
export function pyStr(value: unknown): string {
	if (value === null || value === undefined) return 'None';
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
	return JSON.stringify(value);
}

/** Python repr: strings quoted with single quotes. */
export function pyRepr(value: unknown): string {
	if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		return `{${Object.entries(value)
			.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
			.join(', ')}}`;
	}
	return pyStr(value);
}
