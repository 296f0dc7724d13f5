import { formatKg, formatMoney } from '../../domain/audit/explain';

describe('audit explanations: number formats', () => {
  it.each([
    [1250, '1,250.00'],
    [1100, '1,100.00'],
    [0.5, '0.50'],
    [1234567.891, '1,234,567.89'],
    [-35, '-35.00'],
    [0, '0.00'],
  ])('money %p -> %s', (n, s) => expect(formatMoney(n)).toBe(s));

  it.each([
    [1200, '1,200'],
    [1010.01, '1,010.01'],
    [800.5, '800.5'],
  ])('kilograms %p -> %s', (n, s) => expect(formatKg(n)).toBe(s));
});
