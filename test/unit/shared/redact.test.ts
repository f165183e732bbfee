import {
	excerpt,
	fingerprint,
	liteLlmKeyHash,
	maskKey,
	redactText,
} from '../../../nodes/shared/redact';

describe('maskKey', () => {
	it('keeps the provider prefix and the last four characters only', () => {
		expect(maskKey('sk-1234567890abcdefWXYZ')).toBe('sk-...WXYZ');
		expect(maskKey('sk-or-v1-0123456789abcdef0123456789abcdef')).toBe('sk-or-v1-...cdef');
		expect(maskKey('AIzaSyA1234567890123456789012345678')).toBe('AIza...5678');
	});

	it('shows nothing of a short key', () => {
		expect(maskKey('sk-abc')).toBe('sk-...');
		expect(maskKey('')).toBe('');
	});
});

describe('fingerprint and hash', () => {
	it('are stable and reveal nothing of the key', () => {
		const key = 'sk-test-fingerprint-0001';
		expect(fingerprint(key)).toMatch(/^[0-9a-f]{12}$/);
		expect(fingerprint(key)).toBe(fingerprint(key));
		expect(fingerprint(key)).not.toBe(fingerprint(`${key}x`));
		expect(liteLlmKeyHash(key)).toHaveLength(64);
		expect(liteLlmKeyHash(key).startsWith(fingerprint(key))).toBe(true);
	});
});

describe('redactText', () => {
	it('removes listed secrets, bearer tokens and key-shaped strings', () => {
		const secret = 'my-secret-master-value-42';
		const text = `key ${secret} header Authorization: Bearer abc.def.ghi and sk-live0123456789abcdef leaked`;
		const out = redactText(text, [secret]);
		expect(out).not.toContain(secret);
		expect(out).not.toContain('abc.def.ghi');
		expect(out).not.toContain('sk-live0123456789abcdef');
		expect(out).toContain('sk-...cdef');
	});

	it('cuts excerpts short, on one line', () => {
		const long = `line1\n${'x'.repeat(500)}`;
		const out = excerpt(long, 50);
		expect(out.length).toBeLessThanOrEqual(51);
		expect(out).not.toContain('\n');
	});
});
