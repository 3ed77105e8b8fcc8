import { HttpException } from '@nestjs/common';
import { fromBodyParserError } from './api-exception.filter';

describe('fromBodyParserError', () => {
  it('maps an oversized body to 413 body_too_large and malformed JSON to 400 invalid_json', () => {
    expect(fromBodyParserError({ type: 'entity.too.large', status: 413, expose: true })).toMatchObject({
      status: 413,
      code: 'body_too_large',
      param: 'body',
    });
    expect(fromBodyParserError({ type: 'entity.parse.failed', status: 400, expose: true })).toMatchObject({
      status: 400,
      code: 'invalid_json',
    });
    expect(fromBodyParserError({ type: 'charset.unsupported', status: 415, expose: true, message: 'bad charset' })).toMatchObject({
      status: 415,
      message: 'bad charset',
    });
  });

  it('leaves everything else to the rest of the filter', () => {
    expect(fromBodyParserError(new Error('boom'))).toBeNull();
    expect(fromBodyParserError({ status: 500, expose: false })).toBeNull();
    expect(fromBodyParserError(new HttpException('x', 400))).toBeNull();
    expect(fromBodyParserError(null)).toBeNull();
  });
});
