import { CircuitBreaker } from '../../../nodes/shared/failover/breaker';

describe('CircuitBreaker', () => {
	const settings = { threshold: 3, cooldownMs: 1000 };

	it('stays closed below the threshold and opens at it', () => {
		const breaker = new CircuitBreaker(settings);
		breaker.recordFailure(0);
		breaker.recordFailure(0);
		expect(breaker.admit(0)).toBe('call');
		breaker.recordFailure(10);
		expect(breaker.status(10).state).toBe('open');
		expect(breaker.admit(500)).toBe('skip');
	});

	it('a success in between resets the count of consecutive failures', () => {
		const breaker = new CircuitBreaker(settings);
		breaker.recordFailure(0);
		breaker.recordFailure(0);
		breaker.recordSuccess();
		breaker.recordFailure(0);
		expect(breaker.status(0).state).toBe('closed');
	});

	it('after the cooldown admits exactly one probe (half-open)', () => {
		const breaker = new CircuitBreaker(settings);
		for (let i = 0; i < 3; i++) breaker.recordFailure(0);
		expect(breaker.admit(999)).toBe('skip');
		expect(breaker.admit(1000)).toBe('probe');
		expect(breaker.status(1000).state).toBe('half-open');
		expect(breaker.admit(1001)).toBe('skip');
	});

	it('a successful probe closes it; a failed probe reopens it for a new cooldown', () => {
		const ok = new CircuitBreaker(settings);
		for (let i = 0; i < 3; i++) ok.recordFailure(0);
		expect(ok.admit(1000)).toBe('probe');
		ok.recordSuccess();
		expect(ok.status().state).toBe('closed');
		expect(ok.admit(1001)).toBe('call');

		const bad = new CircuitBreaker(settings);
		for (let i = 0; i < 3; i++) bad.recordFailure(0);
		expect(bad.admit(1000)).toBe('probe');
		bad.recordFailure(1000);
		expect(bad.status(1000).state).toBe('open');
		expect(bad.admit(1999)).toBe('skip');
		expect(bad.admit(2000)).toBe('probe');
	});
});
