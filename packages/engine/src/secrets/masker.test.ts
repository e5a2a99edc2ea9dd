import { describe, expect, it } from 'vitest';
import { Masker, maskPlaceholder } from './masker.js';

describe('Masker', () => {
  it('replaces a value of four characters or more wherever it occurs', () => {
    const masker = new Masker();
    masker.register('hunter2-long');
    expect(masker.maskText('password hunter2-long rejected; was hunter2-long')).toBe(
      `password ${maskPlaceholder} rejected; was ${maskPlaceholder}`,
    );
  });

  it('replaces the longer of two overlapping values whole', () => {
    const masker = new Masker();
    masker.register('abcd');
    masker.register('abcdefgh');
    expect(masker.maskText('x abcdefgh y')).toBe(`x ${maskPlaceholder} y`);
  });

  it('masks the JSON-escaped and base64 forms too', () => {
    const masker = new Masker();
    const value = 'pa"ss\\word';
    masker.register(value);
    expect(masker.maskText(JSON.stringify({ password: value }))).toBe(`{"password":"${maskPlaceholder}"}`);
    expect(masker.maskText(`data: ${Buffer.from(value).toString('base64')}`)).toBe(
      `data: ${maskPlaceholder}`,
    );
  });

  it('masks a short value only as a whole field value', () => {
    const masker = new Masker();
    masker.register('ab1');
    expect(masker.maskText('{"pin":"ab1","other":"xab1y"}')).toBe(
      `{"pin":"${maskPlaceholder}","other":"xab1y"}`,
    );
    expect(masker.maskText('pin: ab1\nlabel: cab1')).toBe(`pin: ${maskPlaceholder}\nlabel: cab1`);
    expect(masker.maskValue({ pin: 'ab1', list: ['ab1', 'ab12'] })).toEqual({
      pin: maskPlaceholder,
      list: [maskPlaceholder, 'ab12'],
    });
  });

  it('treats regular-expression characters literally and ignores empty values', () => {
    const masker = new Masker();
    masker.register('a.b*c');
    masker.register('');
    expect(masker.maskText('aXbbc a.b*c')).toBe(`aXbbc ${maskPlaceholder}`);
    expect(masker.has('')).toBe(false);
  });

  it('leaves text alone while nothing is registered', () => {
    expect(new Masker().maskText('anything at all')).toBe('anything at all');
  });
});
