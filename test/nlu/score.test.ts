import { flattenEntities, formatReport, scoreFrames, valuesMatch } from '../../domain/nlu/score';

/** nlu.md "Scoring". */
describe('scorer', () => {
  it('flattens entities to (path, value) pairs', () => {
    expect(
      flattenEntities({
        items: [{ quantity: 12, unit: 'pallet', description: 'paper towels' }, { quantity: 2, unit: 'crate' }],
        period: { from: '2026-03-01', to: '2026-03-18' },
        customer: 'Acme Corp',
      }),
    ).toEqual([
      ['items.0.quantity', 12],
      ['items.0.unit', 'pallet'],
      ['items.0.description', 'paper towels'],
      ['items.1.quantity', 2],
      ['items.1.unit', 'crate'],
      ['period.from', '2026-03-01'],
      ['period.to', '2026-03-18'],
      ['customer', 'Acme Corp'],
    ]);
  });

  it.each([
    ['Acme Corp', 'acme corp', true],
    ['Acme  Corp', 'Acme Corp', true],
    ['Acme Corp.', 'Acme Corp', true],
    ['Dallas, TX', 'dallas, tx!', true],
    ['Acme Corp', 'Acme', false],
    [907.2, 907.18, true],
    [907.2, 907.26, false],
    [500, 500.05, true],
    [500, '500', true],
    ['x', 5, false],
  ])('%j vs %j -> %s', (a, b, ok) => {
    expect(valuesMatch(a, b)).toBe(ok);
  });

  it('computes micro P/R/F1, exact frames, per-intent accuracy and confusions', () => {
    const r = scoreFrames([
      { expected: { intent: 'track_shipment', entities: { order_id: 'ORD-1' } }, actual: { intent: 'track_shipment', entities: { order_id: 'ord-1' } } },
      { expected: { intent: 'kpi_report', entities: { metric: 'otif', period: { from: '2026-03-01', to: '2026-03-18' } } }, actual: { intent: 'kpi_report', entities: { metric: 'otif', period: { from: '2026-03-02', to: '2026-03-18' }, carrier: 'DHL' } } },
      { expected: { intent: 'help', entities: {} }, actual: { intent: 'unknown', entities: {} } },
      { expected: { intent: 'create_order', entities: { weight_kg: 907.2 } }, actual: { intent: 'create_order', entities: { weight_kg: 907.18474 } } },
    ]);
    // pairs: expected 5 (1 + 3 + 0 + 1); matched 4; predicted 6
    expect(r.entities.tp).toBe(4);
    expect(r.entities.fn).toBe(1);
    expect(r.entities.fp).toBe(2);
    expect(r.entities.precision).toBeCloseTo(4 / 6);
    expect(r.entities.recall).toBeCloseTo(4 / 5);
    expect(r.entities.f1).toBeCloseTo((2 * (4 / 6) * (4 / 5)) / (4 / 6 + 4 / 5));
    expect(r.intentAccuracy).toBe(0.75);
    expect(r.exactFrames).toBe(0.5);
    expect(r.perIntent.help).toEqual({ n: 1, correct: 0, accuracy: 0 });
    expect(r.perIntent.track_shipment).toEqual({ n: 1, correct: 1, accuracy: 1 });
    expect(r.confusions).toEqual([{ expected: 'help', actual: 'unknown', count: 1 }]);
    expect(r.failures).toHaveLength(2);
    expect(formatReport(r)).toMatch(/intent accuracy 75\.0%/);
  });

  it('treats an empty set as perfect', () => {
    const r = scoreFrames([{ expected: { intent: 'help', entities: {} }, actual: { intent: 'help', entities: {} } }]);
    expect(r.entities).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(r.exactFrames).toBe(1);
  });
});
