import { Module } from '@nestjs/common';
import { BreakersModule } from '../breakers/breakers.module';
import { PspModule } from '../psp/psp.module';
import { RoutingRulesRepository } from '../routing-rules/routing-rules.repository';
import { Router } from './router.service';

@Module({
  imports: [PspModule, BreakersModule],
  providers: [Router, RoutingRulesRepository],
  exports: [Router, RoutingRulesRepository],
})
export class RoutingModule {}
