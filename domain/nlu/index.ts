/** The offline message parser (nlu.md): `parse(text, { now, timeZone })` -> frame. */
export { parse, explain, entitiesAs } from './parser';
export { FrameSchema, EntitiesSchema, normalizeFrame } from './frameSchema';
export { scoreFrames, flattenEntities, valuesMatch, formatReport, type ScoreReport, type ScorePair } from './score';
export * from './types';
