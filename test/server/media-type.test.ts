/**
 * The one Content-Type check every route with a typed body uses (JSON, NDJSON, spreadsheets):
 * the media type without its parameters, compared case-insensitively (RFC 9110 §8.3.1).
 */
import { describe, expect, it } from 'vitest';
import { hasMediaType, mediaTypeOf } from '../../server/validate.js';

describe('mediaTypeOf', () => {
  it.each([
    ['application/json', 'application/json'],
    ['application/json; charset=utf-8', 'application/json'],
    [' Application/X-NDJSON ;charset=UTF-8', 'application/x-ndjson'],
    ['text/csv;header=present', 'text/csv'],
    ['', ''],
    [undefined, ''],
  ])('reads %j as %j', (header, type) => {
    expect(mediaTypeOf(header)).toBe(type);
  });
});

describe('hasMediaType', () => {
  it('accepts the type with or without parameters, in any case', () => {
    expect(hasMediaType('application/x-ndjson', 'application/x-ndjson')).toBe(true);
    expect(hasMediaType('APPLICATION/JSON; charset=utf-8', 'application/json')).toBe(true);
  });

  it('refuses another type, a missing header and a type that only starts the same', () => {
    expect(hasMediaType('text/plain', 'application/json')).toBe(false);
    expect(hasMediaType(undefined, 'application/json')).toBe(false);
    expect(hasMediaType('application/json-seq', 'application/json')).toBe(false);
    expect(hasMediaType('application/json', 'application/x-ndjson')).toBe(false);
  });
});
