import { Controller, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { LoggingModule } from './logging.module';

@Controller()
class PingController {
  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

describe('LoggingModule', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      // `silent` keeps the test output clean; the request id middleware runs at every level.
      imports: [LoggingModule.forService('gateway', 'silent')],
      controllers: [PingController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it('installs the request logger on the app routes: Request-Id echoes x-request-id', async () => {
    const response = await request(app.getHttpServer()).get('/ping').set('x-request-id', 'req_upstream').expect(200);

    expect(response.headers['request-id']).toBe('req_upstream');
  });

  it('generates a req_ id when the caller sends none', async () => {
    const response = await request(app.getHttpServer()).get('/ping').expect(200);

    expect(response.headers['request-id']).toMatch(/^req_[0-9a-f-]{36}$/);
  });
});
