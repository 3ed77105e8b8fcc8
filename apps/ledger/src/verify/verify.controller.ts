import { Controller, Get } from '@nestjs/common';
import { VerifyReport, VerifyService } from './verify.service';

@Controller('internal/v1')
export class VerifyController {
  constructor(private readonly verifier: VerifyService) {}

  @Get('verify')
  verify(): Promise<VerifyReport> {
    return this.verifier.verify();
  }
}
